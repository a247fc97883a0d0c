import { MemoryTokenStore, type RefreshLease, type StoredToken, type TokenStore } from '../../../auth/token-store.js';
import { storeUnavailable, withFallback, type FailoverContext } from './failover.js';

/**
 * Refresh leases inside this process: one holder per key, waiters woken on release,
 * and a TTL so a holder that never releases cannot block the key for good.
 */
class LocalLeases {
  readonly #held = new Map<string, { timer: NodeJS.Timeout; waiters: Set<() => void> }>();

  acquire(key: string, ttlMs: number): RefreshLease | undefined {
    if (this.#held.has(key)) return undefined;
    const timer = setTimeout(() => this.#release(key, entry), Math.max(1, ttlMs)).unref();
    const entry = { timer, waiters: new Set<() => void>() };
    this.#held.set(key, entry);
    return { release: async () => this.#release(key, entry) };
  }

  wait(key: string, timeoutMs: number): Promise<void> {
    const entry = this.#held.get(key);
    if (entry === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        entry.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, timeoutMs)).unref();
      entry.waiters.add(wake);
    });
  }

  #release(key: string, entry: { timer: NodeJS.Timeout; waiters: Set<() => void> }): void {
    if (this.#held.get(key) !== entry) return;
    clearTimeout(entry.timer);
    this.#held.delete(key);
    for (const wake of [...entry.waiters]) wake();
  }
}

/**
 * A shared {@link TokenStore} (such as `RedisTokenStore`) with a failure policy. While
 * Redis is available every call goes to it, and tokens read or written are also kept
 * in memory; while it is not, `local` and `fail_open` use that in-memory copy (a
 * token already obtained keeps working) with refresh leases inside this process, and
 * `fail_closed` rejects, which the oauth2 strategy reports as an `AUTH` error.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisTokenStore } from 'ia-connectors';
 * import { FailoverTokenStore } from './failover-token.js';
 * declare const context: import('./failover.js').FailoverContext;
 * const tokens = new FailoverTokenStore(new RedisTokenStore(new Redis(), { keyPrefix: 'iac:oauth:' }), context);
 * ```
 */
export class FailoverTokenStore implements TokenStore {
  readonly #shared: TokenStore;
  readonly #context: FailoverContext;
  readonly #local = new MemoryTokenStore();
  readonly #leases = new LocalLeases();

  constructor(shared: TokenStore, context: FailoverContext) {
    this.#shared = shared;
    this.#context = context;
  }

  get(key: string): Promise<StoredToken | undefined> {
    return this.#call(
      async () => {
        const token = await this.#shared.get(key);
        if (token !== undefined) await this.#local.set(key, token);
        return token;
      },
      () => this.#local.get(key),
    );
  }

  set(key: string, token: StoredToken): Promise<void> {
    return this.#call(
      async () => {
        await this.#shared.set(key, token);
        await this.#local.set(key, token);
      },
      () => this.#local.set(key, token),
    );
  }

  delete(key: string): Promise<void> {
    return this.#call(
      async () => {
        await this.#local.delete(key);
        await this.#shared.delete(key);
      },
      () => this.#local.delete(key),
    );
  }

  acquireRefreshLease(key: string, ttlMs: number): Promise<RefreshLease | undefined> {
    const shared = this.#shared.acquireRefreshLease?.bind(this.#shared);
    const local = async (): Promise<RefreshLease | undefined> => this.#leases.acquire(key, ttlMs);
    if (shared === undefined) return local();
    return this.#call(async () => {
      const lease = await shared(key, ttlMs);
      // A lease that cannot be released expires by its TTL; the refresh it guarded succeeded or failed already.
      return lease && { release: () => lease.release().catch((error: unknown) => this.#context.health.fail(error)) };
    }, local);
  }

  waitForUpdate(key: string, timeoutMs: number): Promise<void> {
    const shared = this.#shared.waitForUpdate?.bind(this.#shared);
    const local = (): Promise<void> => this.#leases.wait(key, timeoutMs);
    if (shared === undefined || !this.#context.health.up) return local();
    return shared(key, timeoutMs);
  }

  /** The store's kind and failure policy; never a token. */
  toJSON(): { type: string; onStoreError: string } {
    return { type: 'FailoverTokenStore', onStoreError: this.#context.policy };
  }

  #call<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    const fallback = (): Promise<T> => (this.#context.policy === 'fail_closed' ? Promise.reject(storeUnavailable(this.#context, 'token')) : local());
    if (!this.#context.health.up) return fallback();
    return Promise.resolve(withFallback(this.#context, remote, fallback));
  }
}
