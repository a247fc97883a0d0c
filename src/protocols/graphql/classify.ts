import { isConnectorError } from '../../core/errors.js';
import type { Outcome, Verdict } from '../../core/outcome.js';
import type { ApiRequest, ResponseHeaders } from '../../core/types.js';
import { classifyRest } from '../rest/classify.js';
import { rateLimitInfo, retryAfterMs } from '../rest/retry-after.js';
import type { GraphQLCall, GraphQLOutcome } from './call.js';

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const OK: Verdict = { retryable: false, failure: false, reason: 'ok' };
// Stand-ins that let the REST judgement of errors (sent or not, a failure or not) apply unchanged.
const REPEATABLE: ApiRequest = { method: 'GET', endpoint: '' };
const UNREPEATABLE: ApiRequest = { method: 'POST', endpoint: '' };

/**
 * Judges a GraphQL attempt for the policies. Queries and socket opens are safe to
 * repeat; mutations only when the caller said so. Statuses 408, 429, 500, 502, 503
 * and 504 are retryable (honouring Retry-After), 5xx and network errors count against
 * the breaker, and GraphQL `errors` in a 2xx result are the application's answer:
 * neither retried nor a breaker failure.
 *
 * @example
 * ```ts
 * import { classifyGraphQL } from 'ia-connectors';
 * classifyGraphQL({ kind: 'socket', url: 'ws://127.0.0.1:1/graphql' }, { ok: false, error: new Error('x') }).failure; // true
 * ```
 */
export function classifyGraphQL(call: GraphQLCall, outcome: Outcome<GraphQLOutcome>): Verdict {
  const repeatable = call.kind === 'socket' || call.repeatable;
  if (outcome.ok) {
    const value = outcome.value;
    return 'socket' in value ? OK : byStatus(value.status, value.headers, repeatable, undefined);
  }
  const error = outcome.error;
  // A status without a GraphQL body (a 503 page, a refused upgrade) is judged like a response.
  if (isConnectorError(error) && typeof error.details.status === 'number' && (error.code === 'HTTP_STATUS' || error.code === 'WEBSOCKET')) {
    return byStatus(error.details.status, undefined, repeatable, error.details.retryAfterMs);
  }
  return classifyRest(repeatable ? REPEATABLE : UNREPEATABLE, outcome as Outcome<never>);
}

function byStatus(status: number, headers: ResponseHeaders | undefined, repeatable: boolean, asked: number | undefined): Verdict {
  const now = Date.now();
  const rateLimit = headers && rateLimitInfo(headers, now);
  if (status < 400) return rateLimit ? { ...OK, rateLimit } : OK;
  const wait = asked ?? (headers && (status === 429 || status === 503 || status === 408) ? retryAfterMs(headers, now) : undefined);
  return {
    retryable: RETRYABLE_STATUS.has(status) && repeatable,
    failure: status >= 500,
    reason: `status ${status}`,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
    ...(rateLimit ? { rateLimit } : {}),
  };
}
