/**
 * The result of one attempt as the policies see it: a value or an error.
 *
 * @example
 * ```ts
 * import type { Outcome } from 'ia-connectors';
 * const o: Outcome<number> = { ok: true, value: 1 };
 * ```
 */
export type Outcome<Res> = { readonly ok: true; readonly value: Res } | { readonly ok: false; readonly error: unknown };

/**
 * How a transport judges an attempt's outcome, so that retry, breaker and limiter
 * behave the same for every protocol.
 *
 * @example
 * ```ts
 * import type { Verdict } from 'ia-connectors';
 * const v: Verdict = { retryable: true, failure: true, reason: 'status 503', retryAfterMs: 2000 };
 * ```
 */
export interface Verdict {
  /** Repeating the attempt is safe and may succeed. */
  readonly retryable: boolean;
  /** The attempt counts as a failure for the circuit breaker. */
  readonly failure: boolean;
  /** Short reason for events and logs, such as `status 503` or `CONNECTION_REFUSED`. */
  readonly reason: string;
  /** The wait the server asked for (Retry-After, RateLimit-Reset, gRPC pushback). */
  readonly retryAfterMs?: number;
  /** What the server said about its rate limit, for an adaptive rate limiter. */
  readonly rateLimit?: RateLimitInfo;
}

/**
 * A server's statement about its rate limit (`RateLimit-*` or `X-RateLimit-*`
 * headers), each field present only when the server sent it.
 *
 * @example
 * ```ts
 * import type { RateLimitInfo } from 'ia-connectors';
 * const info: RateLimitInfo = { limit: 100, remaining: 0, resetMs: 30_000 };
 * ```
 */
export interface RateLimitInfo {
  /** Requests allowed in the server's window. */
  readonly limit?: number;
  /** Requests left in the current window. */
  readonly remaining?: number;
  /** Milliseconds until the window resets. */
  readonly resetMs?: number;
}

/**
 * Judges an attempt for a given request (the request matters: a POST without an
 * idempotency key is not safe to repeat).
 *
 * @example
 * ```ts
 * import type { Classifier } from 'ia-connectors';
 * const never: Classifier<unknown, unknown> = () => ({ retryable: false, failure: false, reason: 'ok' });
 * ```
 */
export type Classifier<Req, Res> = (request: Req, outcome: Outcome<Res>) => Verdict;
