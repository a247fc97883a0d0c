import { ConnectorError } from '../../core/errors.js';
import type { RefreshLease, StoredToken } from '../token-store.js';

/**
 * The store operations {@link refreshWithLease} runs, bound to one key; each already
 * turns a store failure into an `AUTH` error.
 *
 * @example
 * ```ts
 * import type { LeaseRefreshSteps } from 'ia-connectors';
 * const usable: LeaseRefreshSteps['isUsable'] = (t) => Date.now() < (t.expiresAt ?? Infinity);
 * ```
 */
export interface LeaseRefreshSteps {
  read(): Promise<StoredToken | undefined>;
  /** Fresh enough to use, and not the token the server just rejected. */
  isUsable(token: StoredToken): boolean;
  acquire(ttlMs: number): Promise<RefreshLease | undefined>;
  /** Resolves when the stored token may have changed, after `timeoutMs` at the latest. */
  wait(timeoutMs: number): Promise<void>;
  /** Runs holding the lease: fetches a token (starting from `latest`), stores it and returns it. */
  refresh(latest: StoredToken | undefined): Promise<StoredToken>;
}

/** Longest single wait between two looks at the store, should an update notice be missed. */
const WAIT_SLICE_MS = 500;

/**
 * How long a refresh lease lives: the token request's own timeout plus room for the
 * store round trips around it, so a live holder never loses it and a dead one frees it soon.
 *
 * @example
 * ```ts
 * import { refreshLeaseTtl } from 'ia-connectors';
 * refreshLeaseTtl(10_000); // 15000
 * ```
 */
export function refreshLeaseTtl(tokenTimeoutMs: number): number {
  return tokenTimeoutMs + Math.min(5_000, Math.max(1_000, tokenTimeoutMs));
}

/**
 * Obtains a usable token from a shared store so that one process refreshes and the
 * others wait for its token: read; if stale, take the lease and refresh (after one more
 * read, as another process may have just finished); if someone else holds it, wait for
 * an update and look again. A holder that died blocks no one for longer than the
 * lease TTL; a waiter gives up, with a retryable `AUTH` error, after `tokenTimeout` plus
 * the lease TTL.
 *
 * @example
 * ```ts
 * import { refreshWithLease, type LeaseRefreshSteps } from 'ia-connectors';
 * declare const steps: LeaseRefreshSteps;
 * const token = await refreshWithLease(steps, { connector: 'users', tokenTimeoutMs: 10_000 });
 * ```
 */
export async function refreshWithLease(steps: LeaseRefreshSteps, options: { connector: string; tokenTimeoutMs: number }): Promise<StoredToken> {
  const leaseTtl = refreshLeaseTtl(options.tokenTimeoutMs);
  const patience = options.tokenTimeoutMs + leaseTtl;
  const deadline = performance.now() + patience;
  for (;;) {
    const stored = await steps.read();
    if (stored && steps.isUsable(stored)) return stored;
    const lease = await steps.acquire(leaseTtl);
    if (lease) {
      try {
        const latest = await steps.read();
        return latest && steps.isUsable(latest) ? latest : await steps.refresh(latest);
      } finally {
        // Best effort: an unreleased lease still ends with its TTL.
        await lease.release().catch(() => undefined);
      }
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new ConnectorError(
        'AUTH',
        `connector "${options.connector}": no fresh OAuth token appeared in the shared token store within ${Math.round(patience)} ms while another process held the refresh lease; the token server may be slow (raise auth.tokenTimeout) or failing`,
        { retryable: true, details: { connector: options.connector } },
      );
    }
    await steps.wait(Math.min(left, WAIT_SLICE_MS));
  }
}
