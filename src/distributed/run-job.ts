import type { Job } from 'bullmq';
import { toStepError } from '../pipeline/execute-step.js';
import { runPipeline } from '../pipeline/run.js';
import type { RunResult } from '../pipeline/run-types.js';
import type { StepDefinition, StepTypes } from '../pipeline/step-types.js';
import { validatePipeline } from '../pipeline/validate.js';
import { fanOutForeach, type FanOutRun } from './fan-out.js';
import { withIdempotencyKeys } from './idempotency-keys.js';
import { runKeys } from './keys.js';
import { loadBullmq } from './load-bullmq.js';
import { appendEvent, expireRun, redisCheckpoint } from './run-store.js';
import type { DistributedRunEvent, RunJobData } from './types.js';
import type { WorkerContext } from './worker-context.js';

/**
 * The processor of run jobs: runs the pipeline with the worker's step types and
 * connectors, fans `foreach` steps out as child jobs, saves each finished step to the
 * run's checkpoint and streams the run's events. A run picked up again (its worker
 * died, or was stopped and handed it back) restores the finished steps instead of
 * redoing them. When the worker stops, the run is handed back to the queue unfinished.
 *
 * @example
 * ```ts
 * import { Worker } from 'bullmq';
 * import { runJobProcessor } from './run-job.js';
 * declare const ctx: import('./worker-context.js').WorkerContext;
 * new Worker('runs', runJobProcessor(ctx), { connection: { url: 'redis://127.0.0.1:6379' }, prefix: ctx.prefix });
 * ```
 */
export function runJobProcessor(ctx: WorkerContext) {
  return async (job: Job<RunJobData>, token?: string, signal?: AbortSignal): Promise<RunResult> => {
    // A stopping worker may still fetch a job it just handed back; it passes it on.
    if (ctx.stopping.aborted) return handBack(ctx, job, token);
    const runId = job.id ?? '';
    const keys = runKeys(ctx.prefix, runId);
    const stop = signal ? AbortSignal.any([signal, ctx.stopping]) : ctx.stopping;
    const emit = (event: DistributedRunEvent): void => void appendEvent(ctx.redis, keys, event).catch((error: unknown) => ctx.warn(`run ${runId}: an event was lost: ${String(error)}`));
    const attempt = await ctx.redis.hincrby(keys.meta, 'attempts', 1);
    await ctx.redis.hsetnx(keys.meta, 'startedAt', new Date().toISOString());
    const startedAt = Date.parse((await ctx.redis.hget(keys.meta, 'startedAt')) ?? '') || Date.now();
    const checkpoint = await redisCheckpoint(ctx.redis, keys, () => !stop.aborted);
    if (attempt > 1) emit({ type: 'run_resumed', attempt, worker: ctx.name, restoredSteps: Object.keys(checkpoint.restored ?? {}) });

    let result: RunResult;
    try {
      const pipeline = validatePipeline(job.data.pipeline, { steps: ctx.types });
      await ctx.redis.hset(keys.meta, 'pipeline', pipeline.name);
      const run: FanOutRun = { job, keys, stepIds: pipeline.steps.map((s) => s.id) };
      result = await ctx.activity.run(
        (activity) => emit({ type: 'connector', activity }),
        () =>
          runPipeline(pipeline, {
            connectors: ctx.connectors,
            parameters: job.data.parameters,
            input: job.data.input,
            steps: stepTypesForRun(ctx, run),
            signal: stop,
            checkpoint,
            // The first attempt announced the run; a resumed one says so with run_resumed.
            // A run being handed back ends as aborted here, which is not how it ends.
            onEvent: (event) => {
              if (stop.aborted || (attempt > 1 && event.type === 'run_started')) return;
              emit(event);
              if (event.type === 'step_started') void ctx.redis.hset(keys.meta, `started:${event.stepId}`, new Date().toISOString()).catch(() => {});
            },
          }),
      );
    } catch (error) {
      result = { status: 'failed', outputs: {}, steps: {}, durationMs: 0, error: toStepError(error) };
      emit({ type: 'run_finished', status: 'failed', durationMs: 0 });
    }
    // Handed back unfinished: the next worker resumes from the checkpoint.
    if (stop.aborted) return handBack(ctx, job, token);
    const final: RunResult = { ...result, durationMs: Date.now() - startedAt };
    await appendEvent(ctx.redis, keys, { type: 'result', result: final });
    await ctx.redis.hset(keys.meta, 'finishedAt', new Date().toISOString());
    await expireRun(ctx.redis, keys, ctx.retentionSeconds);
    return final;
  };
}

async function handBack(ctx: WorkerContext, job: Job<RunJobData>, token: string | undefined): Promise<never> {
  const { WaitingError } = await loadBullmq();
  await job.moveToWait(token);
  ctx.warn(`run ${job.id ?? '?'} handed back to the queue`);
  throw new WaitingError();
}

// The worker's step types for one run: foreach fans out, and every other step's
// non-idempotent requests carry an Idempotency-Key naming the run and step.
function stepTypesForRun(ctx: WorkerContext, run: FanOutRun): StepTypes {
  const cache = new Map<string, StepDefinition>();
  const runId = run.job.id ?? '';
  const wrap = (definition: StepDefinition): StepDefinition =>
    definition.type === 'foreach'
      ? { ...definition, handler: fanOutForeach(ctx, run) }
      : { ...definition, handler: (step) => definition.handler({ ...step, connectors: withIdempotencyKeys(step.connectors, `${runId}.${step.stepId}`) }) };
  return {
    types: () => ctx.types.types(),
    get: (type) => {
      const definition = ctx.types.get(type);
      if (!definition) return undefined;
      let wrapped = cache.get(type);
      if (!wrapped) cache.set(type, (wrapped = wrap(definition)));
      return wrapped;
    },
  };
}
