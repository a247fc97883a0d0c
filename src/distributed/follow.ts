import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ConnectorError } from '../core/errors.js';
import type { RunResult, StepRecord } from '../pipeline/run-types.js';
import { openRedis, type RedisTarget } from './connect.js';
import { DEFAULT_QUEUE_PREFIX, RUNS_QUEUE, runKeys } from './keys.js';
import { loadBullmq } from './load-bullmq.js';
import { redactRedisUrl } from '../policies/stores/redis/redis-url.js';
import type { RunKeys } from './run-store.js';
import type { DistributedRunEvent, RunJobData } from './types.js';

/**
 * Options of {@link followRun}.
 *
 * @example
 * ```ts
 * import type { FollowRunOptions } from 'ia-connectors';
 * const o: FollowRunOptions = { redis: 'redis://127.0.0.1:6379', onEvent: (e) => console.error(e.type) };
 * ```
 */
export interface FollowRunOptions extends RedisTarget {
  /** Every event of the run from its start, in order: runner events, connector activity, resumptions. */
  onEvent?: (event: DistributedRunEvent) => void;
  /** Stops following (the run goes on on the workers): the promise rejects with `ABORTED`. */
  signal?: AbortSignal;
}

// How long one read of the event stream waits before the job itself is looked at.
const BLOCK_MS = 1000;

/**
 * Follows a distributed run from its first event and resolves with its result, the
 * same {@link RunResult} a local `runPipeline` returns (a run job that failed outright,
 * e.g. after stalling too often, gives a failed result naming the reason).
 *
 * @throws `UNKNOWN_RUN` {@link ConnectorError} when the queue does not know the run; `ABORTED` when `signal` aborts.
 * @example
 * ```ts
 * import { followRun } from 'ia-connectors';
 * const result = await followRun('5f0c…', { redis: 'redis://127.0.0.1:6379', onEvent: (e) => console.error(e.type) });
 * ```
 */
export async function followRun(runId: string, options: FollowRunOptions): Promise<RunResult> {
  const { Queue } = await loadBullmq();
  const redis = await openRedis(options);
  const queue = new Queue<RunJobData, RunResult>(RUNS_QUEUE, { connection: redis, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX });
  // Connection trouble surfaces through the awaited commands; BullMQ would print it too.
  queue.on('error', () => {});
  const keys = runKeys(options.prefix ?? DEFAULT_QUEUE_PREFIX, runId);
  const stop = (): void => redis.disconnect();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await readUntilResult(redis, queue, keys, runId, options);
  } catch (error) {
    if (options.signal?.aborted) throw new ConnectorError('ABORTED', `stopped following run ${runId}; it goes on on the workers`, { cause: error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await queue.close().catch(() => {});
    redis.disconnect();
  }
}

async function readUntilResult(redis: Redis, queue: Queue<RunJobData, RunResult>, keys: RunKeys, runId: string, options: FollowRunOptions): Promise<RunResult> {
  let last = '0-0';
  for (;;) {
    const reply = (await redis.xread('COUNT', 1000, 'BLOCK', BLOCK_MS, 'STREAMS', keys.events, last)) as [string, [string, string[]][]][] | null;
    for (const [id, fields] of reply?.[0]?.[1] ?? []) {
      last = id;
      const event = JSON.parse(fields[1] ?? '{}') as DistributedRunEvent;
      if (event.type === 'result') return event.result;
      options.onEvent?.(event);
    }
    if (reply) continue;
    const ended = await endedWithoutResult(redis, queue, keys, runId, options.redis);
    if (ended) return ended;
  }
}

// Quiet for a while: the run may still be queued or running, or its job may have
// ended without writing a result (it failed outright, or its events expired).
async function endedWithoutResult(redis: Redis, queue: Queue<RunJobData, RunResult>, keys: RunKeys, runId: string, url: string): Promise<RunResult | undefined> {
  const state = await queue.getJobState(runId);
  if (state === 'unknown') throw unknownRun(runId, url, queue.opts.prefix ?? DEFAULT_QUEUE_PREFIX);
  if (state !== 'completed' && state !== 'failed') return undefined;
  const { Job } = await loadBullmq();
  const job = await Job.fromId<RunJobData, RunResult>(queue, runId);
  if (state === 'completed' && job?.returnvalue) return job.returnvalue;
  const steps: Record<string, StepRecord> = {};
  for (const [stepId, text] of Object.entries(await redis.hgetall(keys.steps))) steps[stepId] = JSON.parse(text) as StepRecord;
  const started = job?.processedOn ?? job?.timestamp ?? Date.now();
  const reason = job?.failedReason ?? 'the run job ended without a result';
  return { status: 'failed', outputs: {}, steps, durationMs: (job?.finishedOn ?? Date.now()) - started, error: { code: 'STEP', message: `the run job failed: ${reason}` } };
}

/**
 * The `UNKNOWN_RUN` error for a run id the queue does not know.
 *
 * @example
 * ```ts
 * import { unknownRun } from './follow.js';
 * throw unknownRun('nope', 'redis://127.0.0.1:6379', 'ia-connectors');
 * ```
 */
export function unknownRun(runId: string, url: string, prefix: string): ConnectorError {
  return new ConnectorError(
    'UNKNOWN_RUN',
    `no run "${runId}" on the queue at ${redactRedisUrl(url)} (prefix "${prefix}"): it was never enqueued there or it finished more than the retention ago; check the id printed by "ia-connectors run --queue", the Redis URL and --prefix`,
    { details: { runId } },
  );
}
