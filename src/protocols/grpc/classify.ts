import { isConnectorError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { Classifier, Outcome, Verdict } from '../../core/outcome.js';
import { Code } from './status-codes.js';
import type { GrpcCall, GrpcResult } from './types.js';

const OK: Verdict = { retryable: false, failure: false, reason: 'ok' };
/** Statuses that say the upstream is unwell, as opposed to refusing this request. */
const BREAKER_FAILURES = new Set<number>([Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.INTERNAL]);
/** Statuses worth repeating only when repeating cannot change the outcome on the server. */
const IDEMPOTENT_RETRY = new Set<number>([Code.DEADLINE_EXCEEDED, Code.ABORTED, Code.INTERNAL]);
/** Raised before the call reached the server: safe to repeat for any method. */
const NOT_SENT = new Set<ErrorCode>(['CONNECTION_REFUSED', 'CONNECT_TIMEOUT', 'DNS', 'RATE_LIMITED', 'CIRCUIT_OPEN', 'BULKHEAD_FULL', 'AUTH', 'STORE_UNAVAILABLE']);
/** Errors that say nothing about the upstream's health. */
const NOT_A_FAILURE = new Set<ErrorCode>([
  'INVALID_REQUEST', 'PROTO', 'ABORTED', 'CIRCUIT_OPEN', 'RATE_LIMITED', 'BULKHEAD_FULL', 'STORE_UNAVAILABLE', 'CONFIG', 'NOT_CONNECTED',
  'AUTH', 'MIDDLEWARE', 'MESSAGE_TOO_LARGE', 'RETRY_AFTER_TOO_LONG',
]);

/**
 * Judges a gRPC attempt by gRPC's conventions. `UNAVAILABLE` is retried for every
 * method; `RESOURCE_EXHAUSTED` too, after the server's `grpc-retry-pushback-ms` (a
 * pushback that is not a whole number of milliseconds forbids the retry);
 * `DEADLINE_EXCEEDED` from the server, `ABORTED`, `INTERNAL` and attempt timeouts
 * only when the method is idempotent. Only `UNAVAILABLE`, `DEADLINE_EXCEEDED`,
 * `INTERNAL`, timeouts and transport failures count against the circuit breaker;
 * what the server refused is the client's business. A client stream fed from an
 * async iterable is consumed by its first attempt and never repeated.
 *
 * @example
 * ```ts
 * import { grpcClassifier } from 'ia-connectors';
 * const classify = grpcClassifier((method) => method === 'GetUser');
 * classify({ kind: 'unary', method: 'GetUser' }, { ok: true, value: undefined as never }).reason; // 'ok'
 * ```
 */
export function grpcClassifier(isIdempotent: (method: string) => boolean): Classifier<GrpcCall, GrpcResult> {
  return (request: GrpcCall, outcome: Outcome<GrpcResult>): Verdict => {
    if (outcome.ok) return OK;
    const error = outcome.error;
    // The error's name, not its message: a reason reaches events, and a foreign message may hold anything.
    if (!isConnectorError(error)) return { retryable: false, failure: true, reason: error instanceof Error ? error.name : typeof error };
    const replayable = request.kind !== 'clientStream' || Array.isArray(request.messages);
    const wait = error.details.retryAfterMs;
    const waited = wait === undefined ? {} : { retryAfterMs: wait };
    const grpcCode = error.details.grpcCode;
    if (error.code === 'GRPC' && grpcCode !== undefined) {
      const name = String(error.details['grpcStatus'] ?? grpcCode);
      const failure = BREAKER_FAILURES.has(grpcCode);
      if (grpcCode === Code.UNAVAILABLE) return { retryable: replayable, failure, reason: name, ...waited };
      if (grpcCode === Code.RESOURCE_EXHAUSTED) {
        const refused = error.details['grpcPushback'] !== undefined && wait === undefined;
        return { retryable: replayable && !refused, failure, reason: name, ...waited };
      }
      const retryable = replayable && IDEMPOTENT_RETRY.has(grpcCode) && isIdempotent(request.method);
      return { retryable, failure, reason: name, ...waited };
    }
    const safe = NOT_SENT.has(error.code) || isIdempotent(request.method);
    return { retryable: error.retryable && replayable && safe, failure: !NOT_A_FAILURE.has(error.code), reason: error.code, ...waited };
  };
}
