import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../core/errors.js';
import { createStepRegistry } from '../pipeline/builtins.js';
import { checkRunValues } from '../pipeline/run-checks.js';
import type { Pipeline, PipelineDefinition } from '../pipeline/schema.js';
import type { StepTypes } from '../pipeline/step-types.js';
import { validatePipeline } from '../pipeline/validate.js';
import { openRedis, type RedisTarget } from './connect.js';
import { loadBullmq } from './load-bullmq.js';
import { assertRunId, DEFAULT_QUEUE_PREFIX, RUNS_QUEUE } from './keys.js';
import type { RunJobData } from './types.js';
import { WORKER_DEFAULTS } from './worker-settings.js';

/**
 * Options of {@link enqueueRun}.
 *
 * @example
 * ```ts
 * import type { EnqueueRunOptions } from 'ia-connectors';
 * declare const json: string;
 * const o: EnqueueRunOptions = { redis: 'redis://127.0.0.1:6379', pipeline: json, parameters: { username: 'ada' } };
 * ```
 */
export interface EnqueueRunOptions extends RedisTarget {
  pipeline: string | PipelineDefinition | Pipeline;
  /** Override the pipeline's default `parameters`. */
  parameters?: Record<string, unknown>;
  /** The run input, read by `{{ pipeline_input.x }}`. */
  input?: Record<string, unknown>;
  /** Your own id for the run (letters, digits, `_`, `-`); a random UUID otherwise. An id in use is refused. */
  runId?: string;
  /** Step types to validate against; the workers need the same. Defaults to {@link createStepRegistry}(). */
  steps?: StepTypes;
  /** How long the finished run job is kept, in seconds. @default 86400 */
  retentionSeconds?: number;
}

/**
 * Validates a pipeline with its parameters and input, exactly as `runPipeline` would,
 * then adds it to the `runs` queue as one job whose id is the run id. Any worker may
 * pick it up. Follow it with `followRun`, look at it with `runStatus`.
 *
 * @throws `PIPELINE`, `TEMPLATE` or `CONFIG` {@link ConnectorError} before anything is queued; a connection error when Redis cannot be reached.
 * @example
 * ```ts
 * import { enqueueRun, followRun } from 'ia-connectors';
 * declare const json: string;
 * const { runId } = await enqueueRun({ redis: 'redis://127.0.0.1:6379', pipeline: json, parameters: { username: 'ada' } });
 * const result = await followRun(runId, { redis: 'redis://127.0.0.1:6379' });
 * ```
 */
export async function enqueueRun(options: EnqueueRunOptions): Promise<{ runId: string }> {
  const types = options.steps ?? createStepRegistry();
  const parsed = validatePipeline(options.pipeline, { steps: types });
  const parameters = options.parameters ?? {};
  const input = options.input ?? {};
  checkRunValues(parsed, types, { ...parsed.parameters, ...parameters }, input);
  const runId = options.runId ?? randomUUID();
  assertRunId(runId);
  const data: RunJobData = {
    pipeline: typeof options.pipeline === 'string' ? (JSON.parse(options.pipeline) as unknown) : options.pipeline,
    parameters,
    input,
    enqueuedAt: new Date().toISOString(),
  };
  const { Queue } = await loadBullmq();
  const redis = await openRedis(options);
  const queue = new Queue<RunJobData>(RUNS_QUEUE, { connection: redis, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX });
  // Connection trouble surfaces through the awaited commands; BullMQ would print it too.
  queue.on('error', () => {});
  try {
    if ((await queue.getJobState(runId)) !== 'unknown') {
      throw new ConnectorError('CONFIG', `run id "${runId}" is already in use on this queue; choose another id or leave it out for a random one`);
    }
    const keep = { age: options.retentionSeconds ?? WORKER_DEFAULTS.retentionSeconds };
    await queue.add('run', data, { jobId: runId, removeOnComplete: keep, removeOnFail: keep });
    return { runId };
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}
