import { isConnectorError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { Outcome, Verdict } from '../../core/outcome.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import { rateLimitInfo, retryAfterMs } from './retry-after.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Errors raised before the request could reach the server: safe to repeat for any method. */
const NOT_SENT = new Set<ErrorCode>(['CONNECTION_REFUSED', 'CONNECT_TIMEOUT', 'DNS', 'RATE_LIMITED', 'CIRCUIT_OPEN', 'BULKHEAD_FULL', 'AUTH', 'STORE_UNAVAILABLE']);
/** Errors that say nothing about the upstream's health. */
const NOT_A_FAILURE = new Set<ErrorCode>([
  'INVALID_REQUEST', 'UNSAFE_ENDPOINT', 'SERIALIZATION', 'ABORTED', 'RESPONSE_TOO_LARGE', 'SCHEMA_MISMATCH',
  'CIRCUIT_OPEN', 'RATE_LIMITED', 'BULKHEAD_FULL', 'STORE_UNAVAILABLE', 'CONFIG', 'NOT_CONNECTED', 'AUTH', 'MIDDLEWARE', 'REDIRECT',
]);

/**
 * True when repeating the request cannot change the outcome on the server: an
 * idempotent method, or a POST/PATCH carrying an `Idempotency-Key`.
 *
 * @example
 * ```ts
 * import { isSafeToRepeat } from 'ia-connectors';
 * isSafeToRepeat({ method: 'POST', endpoint: '/x', headers: { 'Idempotency-Key': 'k1' } }); // true
 * ```
 */
export function isSafeToRepeat(request: ApiRequest): boolean {
  if (IDEMPOTENT.has(request.method)) return !isStreamBody(request);
  if (isStreamBody(request)) return false;
  const headers = request.headers;
  if (!headers) return false;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'idempotency-key') return true;
  return false;
}

/**
 * Judges a REST attempt for the policies: 408, 429, 500, 502, 503 and 504 and network
 * errors are retryable when the request is safe to repeat; network errors, timeouts
 * and 5xx count as breaker failures, 4xx do not; the server's requested wait is read
 * from Retry-After and the rate-limit reset headers, and its rate-limit statement
 * (`RateLimit-*`, `X-RateLimit-*`) is passed on for an adaptive limiter.
 *
 * @example
 * ```ts
 * import { classifyRest } from 'ia-connectors';
 * classifyRest({ method: 'GET', endpoint: '/' }, { ok: false, error: new Error('boom') }).retryable; // false
 * ```
 */
export function classifyRest(request: ApiRequest, outcome: Outcome<ApiResponse>): Verdict {
  if (outcome.ok) {
    const { status, headers } = outcome.value;
    const now = Date.now();
    const rateLimit = rateLimitInfo(headers, now);
    if (status < 400) return rateLimit === undefined ? OK : { ...OK, rateLimit };
    const retryable = RETRYABLE_STATUS.has(status) && isSafeToRepeat(request);
    const wait = status === 429 || status === 503 || status === 408 ? retryAfterMs(headers, now) : undefined;
    return {
      retryable,
      failure: status >= 500,
      reason: `status ${status}`,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      ...(rateLimit === undefined ? {} : { rateLimit }),
    };
  }
  const error = outcome.error;
  // The error's name, not its message: a reason reaches events, and a foreign message may hold anything.
  if (!isConnectorError(error)) return { retryable: false, failure: true, reason: error instanceof Error ? error.name : typeof error };
  const retryable = error.retryable && (NOT_SENT.has(error.code) || isSafeToRepeat(request));
  const wait = error.details.retryAfterMs;
  return { retryable, failure: !NOT_A_FAILURE.has(error.code), reason: error.code, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
}

const OK: Verdict = { retryable: false, failure: false, reason: 'ok' };

function isStreamBody(request: ApiRequest): boolean {
  const body = request.body;
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
}
