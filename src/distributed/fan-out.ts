import type { Job } from 'bullmq';
import { configErrorFrom } from '../core/config.js';
import { ConnectorError } from '../core/errors.js';
import type { StepError } from '../pipeline/run-types.js';
import type { StepContext, StepHandler } from '../pipeline/step-types.js';
import { foreachConfigSchema } from '../pipeline/steps/foreach.js';
import { ITEMS_QUEUE, itemJobId, parseItemJobId } from './keys.js';
import { readOutcomes, type RunKeys } from './run-store.js';
import type { ItemJobData, ItemOutcome, RunJobData } from './types.js';
import type { WorkerContext } from './worker-context.js';

/**
 * What a fan-out needs from the run job it belongs to.
 *
 * @example
 * ```ts
 * import type { FanOutRun } from './fan-out.js';
 * declare const run: FanOutRun;
 * run.stepIds;
 * ```
 */
export interface FanOutRun {
  readonly job: Job<RunJobData>;
  readonly keys: RunKeys;
  /** Every step id of the pipeline; the items' template scope needs them. */
  readonly stepIds: readonly string[];
}

/**
 * The `foreach` step type of a distributed run: each item becomes a child job of the
 * run job (a BullMQ flow), picked up by any worker. At most `concurrency` items of
 * the step are queued or running at once across all workers: a new one is added as
 * one finishes. Results come back in input order, read from the outcome each item
 * job stored under its index. A run that resumes after its worker died finds the
 * items already added among the run job's dependencies and adds only the rest.
 *
 * @example
 * ```ts
 * import { fanOutForeach } from './fan-out.js';
 * declare const ctx: import('./worker-context.js').WorkerContext;
 * declare const run: import('./fan-out.js').FanOutRun;
 * const handler = fanOutForeach(ctx, run);
 * ```
 */
export function fanOutForeach(ctx: WorkerContext, run: FanOutRun): StepHandler {
  return async (step) => {
    const parsed = foreachConfigSchema.safeParse(step.config);
    if (!parsed.success) {
      const error = configErrorFrom(parsed.error, `foreach settings of step "${step.stepId}"`);
      throw new ConnectorError('PIPELINE', error.message, { details: error.details });
    }
    const { items, concurrency } = parsed.data;
    if (items.length === 0) return { result: [] };
    await ctx.redis
      .multi()
      .set(run.keys.scope(step.stepId), JSON.stringify({ parameters: step.parameters, pipelineInput: step.pipelineInput, stepIds: run.stepIds, results: step.results }))
      .hset(run.keys.foreach, step.stepId, JSON.stringify({ total: items.length, concurrency }))
      .exec();
    const progress = await track(ctx, run, step, items.length);
    await drive(ctx, run, step, { items, concurrency, nested: parsed.data.step }, progress);
    return collect(step.stepId, items.length, progress);
  };
}

interface Progress {
  outcomes: Map<number, ItemOutcome>;
  /** Items whose job failed without storing an outcome (e.g. it stalled too often). */
  lost: Map<number, string>;
  inFlight: Set<number>;
  next: number;
  /** An item failed: no new item starts. */
  failing: boolean;
}

// What an earlier attempt of this run already did: outcomes stored, children added.
async function track(ctx: WorkerContext, run: FanOutRun, step: StepContext, total: number): Promise<Progress> {
  const outcomes = await readOutcomes(ctx.redis, run.keys, step.stepId);
  const progress: Progress = { outcomes, lost: new Map(), inFlight: new Set(), next: 0, failing: [...outcomes.values()].some((o) => !o.ok) };
  const { processed = {}, unprocessed = [], ignored = {}, failed = [] } = await run.job.getDependencies();
  const mine = (key: string) => {
    const id = parseItemJobId(key);
    return id && id.runId === run.job.id && id.stepId === step.stepId && id.index < total ? id.index : undefined;
  };
  for (const key of [...Object.keys(processed), ...unprocessed, ...Object.keys(ignored), ...failed]) {
    const index = mine(key);
    if (index !== undefined) progress.next = Math.max(progress.next, index + 1);
  }
  for (const key of unprocessed) {
    const index = mine(key);
    if (index !== undefined && !outcomes.has(index)) progress.inFlight.add(index);
  }
  noteLost(progress, ignored, mine);
  return progress;
}

async function drive(
  ctx: WorkerContext,
  run: FanOutRun,
  step: StepContext,
  plan: { items: unknown[]; concurrency: number; nested: ItemJobData['step'] },
  progress: Progress,
): Promise<void> {
  const total = plan.items.length;
  const waitKey = `${run.job.id}.${step.stepId}`;
  let reported = -1;
  for (;;) {
    if (step.signal.aborted) throw new ConnectorError('ABORTED', `step "${step.stepId}": the run was handed back to the queue`);
    await refresh(ctx, run, step.stepId, progress);
    const finished = progress.outcomes.size + progress.lost.size;
    if (finished !== reported && finished > 0) {
      reported = finished;
      step.emit({ type: 'items', completed: finished, total });
    }
    const failing = progress.failing || progress.lost.size > 0;
    if (!failing) await addItems(ctx, run, step.stepId, plan, progress);
    if (progress.inFlight.size === 0 && (failing || progress.next >= total)) return;
    await ctx.waker.wait(waitKey, ctx.pollMs, step.signal);
  }
}

async function refresh(ctx: WorkerContext, run: FanOutRun, stepId: string, progress: Progress): Promise<void> {
  if (progress.inFlight.size === 0) return;
  const done = await readOutcomes(ctx.redis, run.keys, stepId, [...progress.inFlight]);
  for (const [index, outcome] of done) {
    progress.outcomes.set(index, outcome);
    progress.inFlight.delete(index);
    if (!outcome.ok) progress.failing = true;
  }
  if (progress.inFlight.size === 0) return;
  const ignored = await run.job.getIgnoredChildrenFailures();
  noteLost(progress, ignored, (key) => {
    const id = parseItemJobId(key);
    return id && id.stepId === stepId && progress.inFlight.has(id.index) ? id.index : undefined;
  });
  // An item job that failed may have stored its outcome just before failing.
  const late = await readOutcomes(ctx.redis, run.keys, stepId, [...progress.lost.keys()]);
  for (const [index, outcome] of late) {
    progress.outcomes.set(index, outcome);
    progress.lost.delete(index);
    if (!outcome.ok) progress.failing = true;
  }
}

function noteLost(progress: Progress, ignored: Record<string, string>, mine: (key: string) => number | undefined): void {
  for (const [key, reason] of Object.entries(ignored)) {
    const index = mine(key);
    if (index === undefined || progress.outcomes.has(index)) continue;
    progress.lost.set(index, reason);
    progress.inFlight.delete(index);
  }
}

async function addItems(
  ctx: WorkerContext,
  run: FanOutRun,
  stepId: string,
  plan: { items: unknown[]; concurrency: number; nested: ItemJobData['step'] },
  progress: Progress,
): Promise<void> {
  const room = Math.min(plan.concurrency - progress.inFlight.size, plan.items.length - progress.next);
  if (room <= 0) return;
  const indexes = Array.from({ length: room }, (_, i) => progress.next + i);
  const runId = run.job.id ?? '';
  const keep = { age: ctx.retentionSeconds };
  await ctx.flows.addBulk(
    indexes.map((index) => ({
      name: 'item',
      queueName: ITEMS_QUEUE,
      data: { runId, stepId, index, item: plan.items[index], step: plan.nested } satisfies ItemJobData,
      opts: {
        jobId: itemJobId(runId, stepId, index),
        parent: { id: runId, queue: run.job.queueQualifiedName },
        // A failed item must not keep the run job waiting: the run reads the failure itself.
        ignoreDependencyOnFailure: true,
        removeOnComplete: keep,
        removeOnFail: keep,
      },
    })),
  );
  for (const index of indexes) progress.inFlight.add(index);
  progress.next += room;
}

function collect(stepId: string, total: number, progress: Progress): { result: unknown[]; attempts?: number } {
  const failures: { index: number; error: StepError }[] = [];
  for (const [index, outcome] of progress.outcomes) if (!outcome.ok) failures.push({ index, error: outcome.error });
  for (const [index, reason] of progress.lost) failures.push({ index, error: { code: 'STEP', message: `its job failed: ${reason}` } });
  const first = failures.sort((a, b) => a.index - b.index)[0];
  if (first) {
    throw new ConnectorError(first.error.code, `step "${stepId}": item ${first.index} failed: ${first.error.message}`, {
      details: { index: first.index, failed: failures.length, ...(first.error.status === undefined ? {} : { status: first.error.status }) },
    });
  }
  let attempts = 0;
  const result = Array.from({ length: total }, (_, index) => {
    const outcome = progress.outcomes.get(index);
    if (outcome?.ok) attempts += outcome.attempts ?? 0;
    return outcome?.ok ? outcome.result : undefined;
  });
  return attempts > 0 ? { result, attempts } : { result };
}
