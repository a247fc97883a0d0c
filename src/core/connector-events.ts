/**
 * Lifecycle state of a connector.
 *
 * @example
 * ```ts
 * import type { ConnectorState } from 'ia-connectors';
 * const s: ConnectorState = 'connected';
 * ```
 */
export type ConnectorState = 'idle' | 'connecting' | 'connected' | 'disconnecting' | 'closed';

/**
 * Events every connector emits. Payloads never contain secrets: URLs and headers
 * pass the redaction utility first.
 *
 * @example
 * ```ts
 * import type { ConnectorEvents } from 'ia-connectors';
 * const onRetry = (e: ConnectorEvents['retry']) => console.log(`attempt ${e.attempt} in ${e.delayMs} ms: ${e.reason}`);
 * ```
 */
export interface ConnectorEvents {
  stateChange: { connector: string; from: ConnectorState; to: ConnectorState };
  /** An attempt is about to go on the wire. */
  request: { connector: string; attempt: number; method: string; url: string };
  /** An attempt got a response (any status). */
  response: { connector: string; attempt: number; method: string; url: string; status: number; durationMs: number };
  /** A redirect was followed; `crossOrigin` hops drop credentials. */
  redirect: { connector: string; from: string; to: string; status: number; crossOrigin: boolean };
  /** A failed attempt will be repeated after `delayMs`. */
  retry: { connector: string; attempt: number; delayMs: number; reason: string };
  /** A call waits for (or was refused) a rate-limit token. */
  rateLimited: { connector: string; waitMs: number; key: string | undefined; rejected: boolean };
  /** The circuit breaker changed state. */
  circuitStateChange: { connector: string; from: string; to: string; retryAt: number | undefined };
  /** A call waits for a bulkhead slot or was refused one. */
  bulkhead: { connector: string; active: number; queued: number; rejected: boolean };
  /**
   * Credentials were fetched or refreshed (`initial`: first use, `expired`: near or past
   * expiry, `unauthorized`: the server rejected them). `ok: false` when that failed;
   * `error` is redacted and never holds a secret.
   */
  authRefresh: {
    connector: string;
    strategy: string;
    reason: 'initial' | 'expired' | 'unauthorized';
    ok: boolean;
    durationMs: number;
    error?: { code: string; message: string };
  };
  /**
   * A shared store (Redis) of this connector became unavailable; until `storeRecovered`,
   * calls follow `policy` (`local` in-process state, `fail_open`, `fail_closed`).
   * `message` is redacted: never the store's URL or password.
   */
  storeError: { connector: string; store: 'rateLimit' | 'circuitBreaker' | 'token'; policy: 'local' | 'fail_open' | 'fail_closed'; message: string };
  /** The shared store answers again; calls use the shared state again. */
  storeRecovered: { connector: string; store: 'rateLimit' | 'circuitBreaker' | 'token' };
}
