/**
 * The gRPC status codes by number, as the wire and `@grpc/grpc-js` carry them.
 *
 * @example
 * ```ts
 * import { GRPC_STATUS } from 'ia-connectors';
 * GRPC_STATUS[14]; // 'UNAVAILABLE'
 * ```
 */
export const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/**
 * A gRPC status name such as `UNAVAILABLE`.
 *
 * @example
 * ```ts
 * import type { GrpcStatusName } from 'ia-connectors';
 * const s: GrpcStatusName = 'DEADLINE_EXCEEDED';
 * ```
 */
export type GrpcStatusName = (typeof GRPC_STATUS)[number];

/**
 * Numbers of the statuses the connector treats specially, by name.
 *
 * @example
 * ```ts
 * import { Code } from './status-codes.js';
 * Code.UNAVAILABLE; // 14
 * ```
 */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * The name of a gRPC status code, or `CODE_<n>` for a number outside the standard set.
 *
 * @example
 * ```ts
 * import { grpcStatusName } from 'ia-connectors';
 * grpcStatusName(4); // 'DEADLINE_EXCEEDED'
 * ```
 */
export function grpcStatusName(code: number): string {
  return GRPC_STATUS[code] ?? `CODE_${code}`;
}

/**
 * What to do about each non-OK status, appended to error messages.
 *
 * @example
 * ```ts
 * import { STATUS_HINTS } from './status-codes.js';
 * STATUS_HINTS[16]; // "check the connector's auth settings"
 * ```
 */
export const STATUS_HINTS: Readonly<Record<number, string>> = {
  1: 'the server cancelled the call',
  2: 'the server failed without saying why; check its logs',
  3: 'the server rejected the request; check the request fields',
  4: 'the server ran out of time; raise the timeout or ask for less',
  5: 'the server does not have what was asked for',
  6: 'it already exists on the server',
  7: 'the credentials lack permission for this method',
  8: 'the server is out of quota or rate-limited; slow down (retried after grpc-retry-pushback-ms when the server sends it)',
  9: 'the server is not in a state to do this; fix the precondition first',
  10: 'the call conflicted with another; retry the whole operation',
  11: 'a value is outside the range the server accepts',
  12: 'the server does not implement this method; check the service name and the server version',
  13: 'the server hit an internal error',
  14: 'the service is unavailable right now; it is retried automatically',
  15: 'the server reports unrecoverable data loss',
  16: "check the connector's auth settings",
};
