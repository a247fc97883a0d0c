/**
 * An OAuth token as kept in a {@link TokenStore}. Times are `Date.now()` milliseconds.
 *
 * @example
 * ```ts
 * import type { StoredToken } from 'ia-connectors';
 * const t: StoredToken = { accessToken: 'at-1', tokenType: 'bearer', obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 };
 * ```
 */
export interface StoredToken {
  accessToken: string;
  /** Lower-case, e.g. `bearer`. */
  tokenType: string;
  /** When it was issued; with `expiresAt` it gives the lifetime that bounds the refresh skew. */
  obtainedAt: number;
  /** When it expires; absent when the server gave no `expires_in` (then only a 401 replaces it). */
  expiresAt?: number;
  /** The latest refresh token; a rotated one replaces the old here. */
  refreshToken?: string;
  scope?: string;
}

/**
 * Where OAuth tokens live. The default keeps them in memory per connector;
 * `RedisTokenStore` lets many worker processes share one token (and one rotating
 * refresh token) under the same key. A shared store that also offers
 * `acquireRefreshLease` and `waitForUpdate` makes one process refresh while the
 * others wait for its token.
 *
 * @example
 * ```ts
 * import type { TokenStore, StoredToken } from 'ia-connectors';
 * const m = new Map<string, StoredToken>();
 * const store: TokenStore = { get: async (k) => m.get(k), set: async (k, t) => { m.set(k, t); }, delete: async (k) => { m.delete(k); } };
 * ```
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Shared stores only: takes the right to refresh the token under `key` for at most
   * `ttlMs`. Resolves a lease when this caller may refresh, `undefined` while another
   * holder (in any process) has it. The TTL frees the lease of a holder that died.
   */
  acquireRefreshLease?(key: string, ttlMs: number): Promise<RefreshLease | undefined>;
  /**
   * Shared stores only: resolves when the token under `key` changes, or after
   * `timeoutMs`. It may resolve early, so callers re-read the token afterwards.
   */
  waitForUpdate?(key: string, timeoutMs: number): Promise<void>;
}

/**
 * The right to refresh one shared token, from {@link TokenStore.acquireRefreshLease}.
 * `release()` frees it only while this holder still owns it, and is safe to call twice.
 *
 * @example
 * ```ts
 * import type { RefreshLease, TokenStore } from 'ia-connectors';
 * declare const store: TokenStore;
 * declare function refreshToken(): Promise<void>;
 * const lease: RefreshLease | undefined = await store.acquireRefreshLease?.('k', 15_000);
 * if (lease) {
 *   try { await refreshToken(); } finally { await lease.release(); }
 * }
 * ```
 */
export interface RefreshLease {
  release(): Promise<void>;
}

/**
 * The in-memory {@link TokenStore}. Share one instance between connectors to share
 * their tokens inside one process. Its contents never show in logs or JSON.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore, createRestConnector } from 'ia-connectors';
 * const tokenStore = new MemoryTokenStore();
 * const api = createRestConnector({ name: 'a', baseUrl: 'http://127.0.0.1:8080', auth: { type: 'oauth2', tokenUrl: 'http://127.0.0.1:9090/token', clientId: 'a', clientSecret: '${env:A_SECRET}', tokenStore } });
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();

  async get(key: string): Promise<StoredToken | undefined> {
    return this.#tokens.get(key);
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.#tokens.set(key, { ...token });
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }

  /** Never the tokens themselves. */
  toJSON(): { type: string; size: number } {
    return { type: 'MemoryTokenStore', size: this.#tokens.size };
  }
}

/**
 * True when `value` has the three {@link TokenStore} methods.
 *
 * @example
 * ```ts
 * import { isTokenStore, MemoryTokenStore } from 'ia-connectors';
 * isTokenStore(new MemoryTokenStore()); // true
 * ```
 */
export function isTokenStore(value: unknown): value is TokenStore {
  const v = value as Partial<Record<keyof TokenStore, unknown>> | null;
  return typeof v === 'object' && v !== null && typeof v.get === 'function' && typeof v.set === 'function' && typeof v.delete === 'function';
}
