import type { Job } from 'bullmq';
import { executeStep, toStepError, type RunState } from '../pipeline/execute-step.js';
import { foreachItemStep } from '../pipeline/steps/foreach.js';
import { itemJobId, runKeys } from './keys.js';
import { withIdempotencyKeys } from './idempotency-keys.js';
import { loadBullmq } from './load-bullmq.js';
import { appendEvent } from './run-store.js';
import type { ItemJobData, ItemOutcome } from './types.js';
import type { WorkerContext } from './worker-context.js';

interface ItemScope {
  parameters: Record<string, unknown>;
  pipelineInput: Record<string, unknown>;
  stepIds: string[];
  results: Record<string, unknown>;
}

/**
 * The processor of item jobs: runs one foreach item's nested step with the template
 * scope its fan-out stored, and stores the outcome under the item's index. The first
 * outcome stored wins and an item that already has one is not run again, so an item
 * job retried after its worker died never counts twice. Non-idempotent requests carry
 * the item's job id as their Idempotency-Key. A failed item fails its job too (without
 * retry: the connector already retried what could be).
 *
 * @example
 * ```ts
 * import { Worker } from 'bullmq';
 * import { itemJobProcessor } from './item-job.js';
 * declare const ctx: import('./worker-context.js').WorkerContext;
 * new Worker('items', itemJobProcessor(ctx), { connection: { url: 'redis://127.0.0.1:6379' }, prefix: ctx.prefix });
 * ```
 */
export function itemJobProcessor(ctx: WorkerContext) {
  const scopes = new ScopeCache(ctx);
  return async (job: Job<ItemJobData>, _token?: string, signal?: AbortSignal): Promise<{ index: number }> => {
    const { runId, stepId, index, item, step } = job.data;
    const keys = runKeys(ctx.prefix, runId);
    const outcomeKey = keys.items(stepId);
    if ((await ctx.redis.hexists(outcomeKey, String(index))) === 1) return { index };
    const scope = await scopes.get(keys.scope(stepId));
    const run: RunState = {
      scope: {
        parameters: scope.parameters,
        pipelineInput: scope.pipelineInput,
        stepIds: new Set(scope.stepIds),
        results: new Map(Object.entries(scope.results)),
        // Templates read upstream steps only, all finished by now: any without a result was skipped.
        skipped: new Set(scope.stepIds.filter((id) => !Object.hasOwn(scope.results, id))),
      },
      types: ctx.types,
      connectors: withIdempotencyKeys(ctx.connectors, itemJobId(runId, stepId, index)),
      signal: signal ?? new AbortController().signal,
      emit: (_id, progress) => void appendEvent(ctx.redis, keys, { ...progress, stepId }).catch(() => {}),
    };
    const report = (activity: Parameters<typeof appendEvent>[2]) => void appendEvent(ctx.redis, keys, activity).catch(() => {});
    let outcome: ItemOutcome;
    try {
      const out = await ctx.activity.run(
        (activity) => report({ type: 'connector', activity }),
        () => executeStep(foreachItemStep(stepId, step, index), run, { item, index }),
      );
      outcome = out.attempts === undefined ? { ok: true, result: out.result } : { ok: true, result: out.result, attempts: out.attempts };
    } catch (error) {
      outcome = { ok: false, error: toStepError(error) };
    }
    await ctx.redis.hsetnx(outcomeKey, String(index), JSON.stringify(outcome));
    if (!outcome.ok) {
      const { UnrecoverableError } = await loadBullmq();
      throw new UnrecoverableError(`item ${index} of step "${stepId}" failed: ${outcome.error.code} ${outcome.error.message}`);
    }
    return { index };
  };
}

// Every item of a fan-out reads the same scope; a worker fetches it once per fan-out.
class ScopeCache {
  readonly #entries = new Map<string, Promise<ItemScope>>();
  readonly #ctx: WorkerContext;

  constructor(ctx: WorkerContext) {
    this.#ctx = ctx;
  }

  get(key: string): Promise<ItemScope> {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = this.#load(key);
      entry.catch(() => this.#entries.delete(key));
      this.#entries.set(key, entry);
      if (this.#entries.size > 32) this.#entries.delete(this.#entries.keys().next().value ?? key);
    }
    return entry;
  }

  async #load(key: string): Promise<ItemScope> {
    const text = await this.#ctx.redis.get(key);
    if (text === null) {
      const { UnrecoverableError } = await loadBullmq();
      throw new UnrecoverableError(`the template scope of this item (${key}) is gone; its run expired or was removed`);
    }
    return JSON.parse(text) as ItemScope;
  }
}
