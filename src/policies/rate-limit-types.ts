import type { MaybePromise } from './breaker-types.js';

/**
 * A token bucket's rules: tokens added per millisecond and the most it holds.
 *
 * @example
 * ```ts
 * import type { RateLimitSettings } from 'ia-connectors';
 * const s: RateLimitSettings = { ratePerMs: 100 / 1000, burst: 10 };
 * ```
 */
export interface RateLimitSettings {
  readonly ratePerMs: number;
  readonly burst: number;
}

/**
 * The answer to a reservation: `reserved` with the wait until the token is usable,
 * or not reserved (nothing taken) because that wait would exceed the limit given.
 *
 * @example
 * ```ts
 * import type { Reservation } from 'ia-connectors';
 * const r: Reservation = { reserved: true, waitMs: 40 };
 * ```
 */
export interface Reservation {
  readonly reserved: boolean;
  readonly waitMs: number;
}

/**
 * Where token buckets live. A reservation takes a token now and says how long to
 * wait for it, so waiting callers hold no lock and are served in the order they
 * asked (FIFO). Every method receives the rules, so a shared store (Redis, one Lua
 * script per method) can apply them atomically for many processes.
 *
 * @example
 * ```ts
 * import { MemoryRateLimitStore, rateLimitPolicy } from 'ia-connectors';
 * const limiter = rateLimitPolicy({ perSecond: 20, store: new MemoryRateLimitStore() });
 * ```
 */
export interface RateLimitStore {
  /** Takes one token of bucket `key`, unless the wait for it would exceed `maxWaitMs`. */
  reserve(key: string, now: number, settings: RateLimitSettings, maxWaitMs: number): MaybePromise<Reservation>;
  /** Gives back a reserved token whose caller stopped waiting. */
  release(key: string, now: number, settings: RateLimitSettings): MaybePromise<void>;
  /** No token of `key` is handed out before `until` (epoch ms): the server said none remain. */
  pause(key: string, now: number, until: number, settings: RateLimitSettings): MaybePromise<void>;
}
