import type { MaybePromise } from '../../breaker-types.js';
import type { RateLimitSettings, RateLimitStore, Reservation } from '../../rate-limit-types.js';
import { MemoryRateLimitStore } from '../memory-rate-limit.js';
import { storeUnavailable, withFallback, type FailoverContext } from './failover.js';

const OPEN: Reservation = { reserved: true, waitMs: 0 };

/**
 * This process's share of a limit shared by `processes` live processes: the rate and
 * the burst divided among them, the burst at least 1.
 *
 * @example
 * ```ts
 * import { localShare } from './failover-rate-limit.js';
 * localShare({ ratePerMs: 0.2, burst: 10 }, 4); // { ratePerMs: 0.05, burst: 2 }
 * ```
 */
export function localShare(settings: RateLimitSettings, processes: number): RateLimitSettings {
  const n = Math.max(1, processes);
  return { ratePerMs: settings.ratePerMs / n, burst: Math.max(1, Math.floor(settings.burst / n)) };
}

/**
 * A Redis {@link RateLimitStore} with a failure policy. While Redis is available
 * every call goes to it; a failed call marks it unavailable and, like every call
 * until it is back, follows the policy without trying Redis: `local` reserves from
 * an in-process bucket holding this process's share of the limit (limit / live
 * processes, as last counted while Redis answered; the whole limit if it never
 * did), `fail_open` admits at once, `fail_closed` rejects with `STORE_UNAVAILABLE`.
 * Releases and pauses never fail the call.
 *
 * @example
 * ```ts
 * import { FailoverRateLimitStore } from './failover-rate-limit.js';
 * import { RedisRateLimitStore } from './rate-limit.js';
 * declare const redis: RedisRateLimitStore;
 * declare const context: import('./failover.js').FailoverContext;
 * const store = new FailoverRateLimitStore(redis, context);
 * ```
 */
export class FailoverRateLimitStore implements RateLimitStore {
  readonly #redis: RateLimitStore;
  readonly #context: FailoverContext;
  readonly #local = new MemoryRateLimitStore();

  constructor(redis: RateLimitStore, context: FailoverContext) {
    this.#redis = redis;
    this.#context = context;
  }

  reserve(key: string, now: number, settings: RateLimitSettings, maxWaitMs: number): MaybePromise<Reservation> {
    if (!this.#context.health.up) return this.#fallback(key, now, settings, maxWaitMs);
    return withFallback(
      this.#context,
      () => this.#redis.reserve(key, now, settings, maxWaitMs),
      () => this.#fallback(key, now, settings, maxWaitMs),
    );
  }

  release(key: string, now: number, settings: RateLimitSettings): MaybePromise<void> {
    const local = (): void => {
      if (this.#context.policy === 'local') this.#local.release(key, now, this.#share(settings));
    };
    if (!this.#context.health.up) return local();
    return withFallback(this.#context, () => this.#redis.release(key, now, settings), local);
  }

  pause(key: string, now: number, until: number, settings: RateLimitSettings): MaybePromise<void> {
    const local = (): void => {
      if (this.#context.policy === 'local') this.#local.pause(key, now, until, this.#share(settings));
    };
    if (!this.#context.health.up) return local();
    return withFallback(this.#context, () => this.#redis.pause(key, now, until, settings), local);
  }

  /** The store's kind and failure policy; never the connection. */
  toJSON(): { type: string; onStoreError: string } {
    return { type: 'RedisRateLimitStore', onStoreError: this.#context.policy };
  }

  #fallback(key: string, now: number, settings: RateLimitSettings, maxWaitMs: number): MaybePromise<Reservation> {
    switch (this.#context.policy) {
      case 'local':
        return this.#local.reserve(key, now, this.#share(settings), maxWaitMs);
      case 'fail_open':
        return OPEN;
      case 'fail_closed':
        return Promise.reject(storeUnavailable(this.#context, 'rateLimit'));
    }
  }

  #share(settings: RateLimitSettings): RateLimitSettings {
    return localShare(settings, this.#context.health.processes);
  }
}
