import type { Redis } from 'ioredis';
import type { RunCheckpoint, StepRecord } from '../pipeline/run-types.js';
import type { runKeys } from './keys.js';
import type { DistributedRunEvent, ItemOutcome } from './types.js';

/**
 * Keys of one run, as {@link runKeys} builds them.
 *
 * @example
 * ```ts
 * import { runKeys } from './keys.js';
 * import type { RunKeys } from './run-store.js';
 * const keys: RunKeys = runKeys('ia-connectors', 'r1');
 * ```
 */
export type RunKeys = ReturnType<typeof runKeys>;

// A run's stream keeps its last events only: enough to follow it, bounded for huge fan-outs.
const STREAM_MAX_LENGTH = 10_000;

/**
 * Appends events to a run's stream. Appends are sent in order on one connection, so
 * followers read them in the order they happened.
 *
 * @example
 * ```ts
 * import { appendEvent } from './run-store.js';
 * import { runKeys } from './keys.js';
 * declare const redis: import('ioredis').Redis;
 * await appendEvent(redis, runKeys('ia-connectors', 'r1'), { type: 'step_started', stepId: 'a', stepType: 'api_call' });
 * ```
 */
export async function appendEvent(redis: Redis, keys: RunKeys, event: DistributedRunEvent): Promise<void> {
  await redis.xadd(keys.events, 'MAXLEN', '~', STREAM_MAX_LENGTH, '*', 'e', JSON.stringify(event));
}

/**
 * The checkpoint of a run kept in Redis: finished steps' records by step id.
 * `accepting()` false (the run is being released) refuses new records, so a step
 * aborted by the release is not recorded as failed.
 *
 * @example
 * ```ts
 * import { redisCheckpoint } from './run-store.js';
 * import { runKeys } from './keys.js';
 * declare const redis: import('ioredis').Redis;
 * const checkpoint = await redisCheckpoint(redis, runKeys('ia-connectors', 'r1'), () => true);
 * ```
 */
export async function redisCheckpoint(redis: Redis, keys: RunKeys, accepting: () => boolean): Promise<RunCheckpoint> {
  const restored: Record<string, StepRecord> = {};
  for (const [stepId, text] of Object.entries(await redis.hgetall(keys.steps))) restored[stepId] = JSON.parse(text) as StepRecord;
  return {
    restored,
    save: async (stepId, record) => {
      if (!accepting()) throw new Error('the run is being handed back to the queue');
      await redis.hset(keys.steps, stepId, JSON.stringify(record));
    },
  };
}

/**
 * Reads the outcomes of a foreach step's items, all or those at `indexes`.
 *
 * @example
 * ```ts
 * import { readOutcomes } from './run-store.js';
 * import { runKeys } from './keys.js';
 * declare const redis: import('ioredis').Redis;
 * const outcomes = await readOutcomes(redis, runKeys('ia-connectors', 'r1'), 'fan');
 * ```
 */
export async function readOutcomes(redis: Redis, keys: RunKeys, stepId: string, indexes?: readonly number[]): Promise<Map<number, ItemOutcome>> {
  const found = new Map<number, ItemOutcome>();
  if (indexes === undefined) {
    for (const [index, text] of Object.entries(await redis.hgetall(keys.items(stepId)))) found.set(Number(index), JSON.parse(text) as ItemOutcome);
    return found;
  }
  if (indexes.length === 0) return found;
  const texts = await redis.hmget(keys.items(stepId), ...indexes.map(String));
  texts.forEach((text, i) => {
    const index = indexes[i];
    if (text !== null && index !== undefined) found.set(index, JSON.parse(text) as ItemOutcome);
  });
  return found;
}

/**
 * Sets every key of a finished run to expire after `seconds`.
 *
 * @example
 * ```ts
 * import { expireRun } from './run-store.js';
 * import { runKeys } from './keys.js';
 * declare const redis: import('ioredis').Redis;
 * await expireRun(redis, runKeys('ia-connectors', 'r1'), 86_400);
 * ```
 */
export async function expireRun(redis: Redis, keys: RunKeys, seconds: number): Promise<void> {
  const fanOuts = await redis.hkeys(keys.foreach);
  const all = [keys.meta, keys.events, keys.steps, keys.foreach, ...fanOuts.flatMap((stepId) => [keys.items(stepId), keys.scope(stepId)])];
  const multi = redis.multi();
  for (const key of all) multi.expire(key, seconds);
  await multi.exec();
}
