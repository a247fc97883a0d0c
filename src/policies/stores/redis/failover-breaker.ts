import type { Disposable } from '../../../core/events.js';
import type { BreakerAdmission, BreakerResult, BreakerSettings, BreakerSnapshot, BreakerStore, BreakerTransition, MaybePromise } from '../../breaker-types.js';
import { MemoryBreakerStore } from '../memory-breaker.js';
import { storeUnavailable, withFallback, type FailoverContext } from './failover.js';

const PASS: BreakerAdmission = { admitted: true, probe: false, transition: undefined };

/**
 * A Redis {@link BreakerStore} with a failure policy. While Redis is available every
 * call goes to it; while it is not, `local` runs each breaker in this process,
 * starting from the last shared state seen (an open breaker stays open), `fail_open`
 * admits every call, and `fail_closed` rejects admissions with `STORE_UNAVAILABLE`.
 * Recording an outcome never fails the call that produced it.
 *
 * @example
 * ```ts
 * import { FailoverBreakerStore } from './failover-breaker.js';
 * import { RedisBreakerStore } from './breaker.js';
 * declare const redis: RedisBreakerStore;
 * declare const context: import('./failover.js').FailoverContext;
 * const store = new FailoverBreakerStore(redis, context);
 * ```
 */
export class FailoverBreakerStore implements BreakerStore, Disposable {
  readonly #redis: BreakerStore;
  readonly #context: FailoverContext;
  readonly #local = new MemoryBreakerStore();
  /** Breakers running locally in this outage, seeded from the shared state. */
  readonly #seeded = new Set<string>();
  readonly #subscription: Disposable;

  constructor(redis: BreakerStore, context: FailoverContext) {
    this.#redis = redis;
    this.#context = context;
    this.#subscription = context.health.onChange((change) => {
      if (change.up) this.#seeded.clear();
    });
  }

  admit(key: string, now: number, settings: BreakerSettings): MaybePromise<BreakerAdmission> {
    if (!this.#context.health.up) return this.#fallback(key, now, settings);
    return withFallback(
      this.#context,
      () => this.#redis.admit(key, now, settings),
      () => this.#fallback(key, now, settings),
    );
  }

  record(key: string, now: number, settings: BreakerSettings, result: BreakerResult, probe: boolean): MaybePromise<BreakerTransition | undefined> {
    const local = (): BreakerTransition | undefined => (this.#isLocal(key) ? this.#local.record(key, now, settings, result, probe) : undefined);
    if (!this.#context.health.up) return local();
    return withFallback(this.#context, () => this.#redis.record(key, now, settings, result, probe), local);
  }

  snapshot(key: string, now: number): BreakerSnapshot {
    return this.#isLocal(key) ? this.#local.snapshot(key, now) : this.#redis.snapshot(key, now);
  }

  restore(key: string, snapshot: BreakerSnapshot, now: number, settings: BreakerSettings): MaybePromise<void> {
    const local = (): void => {
      this.#local.restore(key, snapshot, now, settings);
      this.#seeded.add(key);
    };
    if (!this.#context.health.up) return local();
    return withFallback(this.#context, () => this.#redis.restore(key, snapshot, now, settings), local);
  }

  /** Stops following the connection's availability. */
  dispose(): void {
    this.#subscription.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The store's kind and failure policy; never the connection. */
  toJSON(): { type: string; onStoreError: string } {
    return { type: 'RedisBreakerStore', onStoreError: this.#context.policy };
  }

  #fallback(key: string, now: number, settings: BreakerSettings): MaybePromise<BreakerAdmission> {
    switch (this.#context.policy) {
      case 'local':
        if (!this.#seeded.has(key)) {
          this.#local.restore(key, this.#redis.snapshot(key, now), now, settings);
          this.#seeded.add(key);
        }
        return this.#local.admit(key, now, settings);
      case 'fail_open':
        return PASS;
      case 'fail_closed':
        return Promise.reject(storeUnavailable(this.#context, 'circuitBreaker'));
    }
  }

  #isLocal(key: string): boolean {
    return this.#context.policy === 'local' && this.#seeded.has(key) && !this.#context.health.up;
  }
}
