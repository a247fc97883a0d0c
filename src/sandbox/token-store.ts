import { randomBytes } from 'node:crypto';

/**
 * What the sandbox knows of a bearer token.
 *
 * @example
 * ```ts
 * import type { TokenCheck } from './token-store.js';
 * const c: TokenCheck = 'expired';
 * ```
 */
export type TokenCheck = 'valid' | 'expired' | 'unknown';

/**
 * Access tokens issued by the sandbox's OAuth endpoint. Expiry reads `Date.now()`, so
 * tests move it with fake timers instead of waiting.
 *
 * @example
 * ```ts
 * import { TokenStore } from './token-store.js';
 * const store = new TokenStore(60);
 * const { accessToken } = store.issue();
 * store.check(accessToken); // 'valid'
 * ```
 */
export class TokenStore {
  readonly #tokens = new Map<string, number>();
  #issued = 0;

  constructor(readonly ttlSeconds: number) {}

  /** How many tokens were issued since start. */
  get issued(): number {
    return this.#issued;
  }

  /** Issues a token that lives `ttlSeconds`. */
  issue(): { accessToken: string; expiresIn: number } {
    const accessToken = `sbx_at_${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(accessToken, Date.now() + this.ttlSeconds * 1000);
    this.#issued += 1;
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  /** Whether `token` was issued here and is still valid. */
  check(token: string): TokenCheck {
    const expiresAt = this.#tokens.get(token);
    if (expiresAt === undefined) return 'unknown';
    if (Date.now() >= expiresAt) {
      this.#tokens.delete(token);
      return 'expired';
    }
    return 'valid';
  }
}
