import type { RateLimitSettings, RateLimitStore, Reservation } from '../rate-limit-types.js';

/** Buckets kept before idle full ones are swept; a full bucket equals no bucket. */
const SWEEP_AT = 10_000;
/** Float noise allowance so 3 / 0.1 waits 30 ms, not 31. */
const EPSILON = 1e-9;
const NOW: Reservation = { reserved: true, waitMs: 0 };

interface Bucket {
  /** May go negative: tokens promised to waiting callers. */
  tokens: number;
  /** Time of the last refill; in the future while paused. */
  updatedAt: number;
}

/**
 * The default {@link RateLimitStore}: token buckets in this process, answered
 * synchronously. Memory stays bounded: buckets that refilled completely are
 * dropped once there are many keys.
 *
 * @example
 * ```ts
 * import { MemoryRateLimitStore } from 'ia-connectors';
 * const store = new MemoryRateLimitStore();
 * store.reserve('api', Date.now(), { ratePerMs: 0.01, burst: 1 }, 1000); // { reserved: true, waitMs: 0 }
 * ```
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, Bucket>();

  /** Buckets held in memory now. */
  get size(): number {
    return this.#buckets.size;
  }

  reserve(key: string, now: number, settings: RateLimitSettings, maxWaitMs: number): Reservation {
    const bucket = this.#bucket(key, now, settings);
    const tokens = bucket.tokens - 1;
    if (tokens >= -EPSILON && bucket.updatedAt <= now) {
      bucket.tokens = tokens;
      return NOW;
    }
    const waitMs = Math.max(0, Math.ceil(bucket.updatedAt - now + -tokens / settings.ratePerMs - EPSILON));
    if (waitMs > maxWaitMs) return { reserved: false, waitMs };
    bucket.tokens = tokens;
    return { reserved: true, waitMs };
  }

  release(key: string, now: number, settings: RateLimitSettings): void {
    const bucket = this.#bucket(key, now, settings);
    bucket.tokens = Math.min(settings.burst, bucket.tokens + 1);
  }

  pause(key: string, now: number, until: number, settings: RateLimitSettings): void {
    const bucket = this.#bucket(key, now, settings);
    bucket.tokens = Math.min(bucket.tokens, 0);
    bucket.updatedAt = Math.max(bucket.updatedAt, until);
  }

  #bucket(key: string, now: number, settings: RateLimitSettings): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= SWEEP_AT) this.#sweep(now, settings);
      bucket = { tokens: settings.burst, updatedAt: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(settings.burst, bucket.tokens + (now - bucket.updatedAt) * settings.ratePerMs);
      bucket.updatedAt = now;
    }
    return bucket;
  }

  #sweep(now: number, settings: RateLimitSettings): void {
    for (const [key, bucket] of this.#buckets) {
      const refilled = bucket.tokens + Math.max(0, now - bucket.updatedAt) * settings.ratePerMs;
      if (refilled >= settings.burst) this.#buckets.delete(key);
    }
  }
}
