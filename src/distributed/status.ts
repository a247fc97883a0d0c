import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunResult, StepRecord } from '../pipeline/run-types.js';
import { openRedis, type RedisTarget } from './connect.js';
import { unknownRun } from './follow.js';
import { DEFAULT_QUEUE_PREFIX, RUNS_QUEUE, runKeys } from './keys.js';
import { loadBullmq } from './load-bullmq.js';
import type { RunKeys } from './run-store.js';
import type { DistributedRunState, RunJobData, RunStatus } from './types.js';

/**
 * Looks up a distributed run: whether it is queued, running or finished, which steps
 * are done, how many items of each foreach step are done, and its error if it failed.
 *
 * @throws `UNKNOWN_RUN` {@link ConnectorError} when the queue does not know the run.
 * @example
 * ```ts
 * import { runStatus } from 'ia-connectors';
 * const status = await runStatus('5f0c…', { redis: 'redis://127.0.0.1:6379' });
 * console.log(status.state, `${status.stepsDone}/${status.steps.length} steps`);
 * ```
 */
export async function runStatus(runId: string, target: RedisTarget): Promise<RunStatus> {
  const prefix = target.prefix ?? DEFAULT_QUEUE_PREFIX;
  const { Job, Queue } = await loadBullmq();
  const redis = await openRedis(target);
  const queue = new Queue<RunJobData, RunResult>(RUNS_QUEUE, { connection: redis, prefix });
  // Connection trouble surfaces through the awaited commands; BullMQ would print it too.
  queue.on('error', () => {});
  try {
    const job = await Job.fromId<RunJobData, RunResult>(queue, runId);
    if (!job) throw unknownRun(runId, target.redis, prefix);
    return await describe(redis, runKeys(prefix, runId), job);
  } finally {
    await queue.close().catch(() => {});
    redis.disconnect();
  }
}

async function describe(redis: Redis, keys: RunKeys, job: Job<RunJobData, RunResult>): Promise<RunStatus> {
  const [jobState, meta, saved, fanOuts] = await Promise.all([job.getState(), redis.hgetall(keys.meta), redis.hgetall(keys.steps), redis.hgetall(keys.foreach)]);
  const result = jobState === 'completed' ? job.returnvalue ?? undefined : undefined;
  const state: DistributedRunState =
    jobState === 'completed' ? (result?.status ?? 'succeeded') : jobState === 'failed' ? 'failed' : jobState === 'active' || jobState === 'waiting-children' ? 'running' : 'queued';
  const records: Record<string, StepRecord> = result?.steps ?? Object.fromEntries(Object.entries(saved).map(([id, text]) => [id, JSON.parse(text) as StepRecord]));
  const steps: RunStatus['steps'] = [];
  for (const id of stepIdsOf(job.data.pipeline)) {
    const fanOut = fanOuts[id] === undefined ? undefined : (JSON.parse(fanOuts[id]) as { total: number });
    const items = fanOut ? { done: await redis.hlen(keys.items(id)), total: fanOut.total } : undefined;
    const started = state === 'running' && meta[`started:${id}`] !== undefined;
    steps.push({ id, status: records[id]?.status ?? (started ? 'running' : 'pending'), ...(items ? { items } : {}) });
  }
  const error = result?.error ?? (jobState === 'failed' ? { code: 'STEP' as const, message: `the run job failed: ${job.failedReason}` } : undefined);
  return {
    runId: job.id ?? '',
    state,
    pipeline: meta['pipeline'] ?? nameOf(job.data.pipeline),
    attempts: Number(meta['attempts'] ?? job.attemptsStarted),
    ...(job.processedBy ? { worker: job.processedBy } : {}),
    enqueuedAt: job.data.enqueuedAt,
    ...(meta['startedAt'] ? { startedAt: meta['startedAt'] } : {}),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    steps,
    stepsDone: steps.filter((s) => s.status !== 'pending' && s.status !== 'running').length,
    ...(error ? { error } : {}),
    ...(result ? { result } : {}),
  };
}

function stepIdsOf(pipeline: unknown): string[] {
  const steps = (pipeline as { steps?: unknown } | null)?.steps;
  return Array.isArray(steps) ? steps.map((s) => String((s as { id?: unknown } | null)?.id ?? '')) : [];
}

function nameOf(pipeline: unknown): string {
  const name = (pipeline as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '(unnamed)';
}
