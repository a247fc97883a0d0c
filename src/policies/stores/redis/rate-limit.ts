import type { Redis } from 'ioredis';
import type { RateLimitSettings, RateLimitStore, Reservation } from '../../rate-limit-types.js';
import { pauseScript, releaseScript, reserveScript } from './rate-limit-scripts.js';

const NOW: Reservation = { reserved: true, waitMs: 0 };
/** Lua has no infinity literal; a wait limit this far out never refuses. */
const NO_LIMIT = 9e15;

/**
 * Options of the Redis stores: the prefix of every key they write.
 *
 * @example
 * ```ts
 * import type { RedisStoreOptions } from 'ia-connectors';
 * const o: RedisStoreOptions = { keyPrefix: 'etl:' };
 * ```
 */
export interface RedisStoreOptions {
  /** @default 'iac:' */
  keyPrefix?: string;
}

/**
 * A {@link RateLimitStore} in Redis, shared by every process that uses the same Redis
 * and key prefix. Each method is one Lua script (one round trip, `EVALSHA`) that
 * refills, reserves and saves atomically, with the memory store's semantics: FIFO
 * reservations that may drive the bucket negative, a refusal (nothing taken) when
 * the wait would exceed `maxWaitMs`, `release`, and `pause`.
 *
 * Time is Redis server time (`TIME`), never the caller's `now`: processes whose clocks
 * disagree still share one bucket correctly, and `pause(key, now, until)` is applied
 * as the duration `until - now` from the server's clock. Idle buckets expire once
 * they would have refilled completely. Errors (Redis unreachable, command timeout)
 * reject; wrap the store with `createRedisStores()` for a failure policy.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisRateLimitStore, rateLimitPolicy } from 'ia-connectors';
 * const store = new RedisRateLimitStore(new Redis('redis://127.0.0.1:6379'), { keyPrefix: 'etl:' });
 * const limiter = rateLimitPolicy({ perSecond: 200, burst: 10, store }, { name: 'users' });
 * ```
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: Redis;
  readonly #prefix: string;

  constructor(client: Redis, options: RedisStoreOptions = {}) {
    this.#client = client;
    this.#prefix = `${options.keyPrefix ?? 'iac:'}rl:`;
    for (const script of [reserveScript, releaseScript, pauseScript]) script.define(client);
  }

  reserve(key: string, _now: number, settings: RateLimitSettings, maxWaitMs: number): Promise<Reservation> {
    const limit = Number.isFinite(maxWaitMs) ? Math.max(0, Math.floor(maxWaitMs)) : NO_LIMIT;
    return reserveScript.run(this.#client, [this.#prefix + key], [settings.ratePerMs, settings.burst, limit]).then((reply) => {
      const [reserved, waitMs] = reply as [number, number];
      if (reserved !== 1) return { reserved: false, waitMs };
      return waitMs === 0 ? NOW : { reserved: true, waitMs };
    });
  }

  release(key: string, _now: number, settings: RateLimitSettings): Promise<void> {
    return releaseScript.run(this.#client, [this.#prefix + key], [settings.ratePerMs, settings.burst]).then(() => undefined);
  }

  pause(key: string, now: number, until: number, settings: RateLimitSettings): Promise<void> {
    const pauseMs = Math.max(0, Math.ceil(until - now));
    return pauseScript.run(this.#client, [this.#prefix + key], [settings.ratePerMs, settings.burst, pauseMs]).then(() => undefined);
  }

  /** The store's kind and key prefix; never the connection. */
  toJSON(): { type: string; keyPrefix: string } {
    return { type: 'RedisRateLimitStore', keyPrefix: this.#prefix.slice(0, -'rl:'.length) };
  }
}
