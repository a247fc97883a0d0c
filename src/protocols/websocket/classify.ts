import { isConnectorError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { Outcome, Verdict } from '../../core/outcome.js';

/** Errors that say nothing about the server's health. */
const NOT_A_FAILURE = new Set<ErrorCode>([
  'INVALID_REQUEST', 'CONFIG', 'ABORTED', 'CIRCUIT_OPEN', 'RATE_LIMITED', 'BULKHEAD_FULL', 'STORE_UNAVAILABLE', 'NOT_CONNECTED', 'AUTH', 'MIDDLEWARE',
]);

const OK: Verdict = { retryable: false, failure: false, reason: 'ok' };

/**
 * Judges one attempt at opening a socket for the policies. Opening is always safe
 * to repeat, so an error is retried when its code allows (refused, reset, timeout,
 * 5xx and 429 handshakes, abnormal closes) and never for `AUTH`, `TLS`, `DNS` or
 * a handshake the server refused for good. Auth and configuration errors do not
 * count against the circuit breaker.
 *
 * @example
 * ```ts
 * import { classifyWebSocketOpen, ConnectorError } from 'ia-connectors';
 * classifyWebSocketOpen(undefined, { ok: false, error: new ConnectorError('CONNECTION_REFUSED', 'down') }).retryable; // true
 * ```
 */
export function classifyWebSocketOpen(_request: unknown, outcome: Outcome<unknown>): Verdict {
  if (outcome.ok) return OK;
  const error = outcome.error;
  if (!isConnectorError(error)) return { retryable: false, failure: true, reason: error instanceof Error ? error.name : typeof error };
  const wait = error.details.retryAfterMs;
  return {
    retryable: error.retryable,
    failure: !NOT_A_FAILURE.has(error.code),
    reason: error.code,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  };
}
