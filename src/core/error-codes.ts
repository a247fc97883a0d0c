/**
 * Every error code the library can raise, with whether it is safe to retry by default
 * and a one-line summary. `docs/errors.md` lists each of these; a test keeps them in step.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from 'ia-connectors';
 * console.log(ERROR_CODES.CONNECTION_REFUSED.summary);
 * ```
 */
export const ERROR_CODES = {
  CONFIG: { retryable: false, summary: 'A configuration value is invalid or missing.' },
  INVALID_REQUEST: { retryable: false, summary: 'A request is malformed (method, path parameter, header, query).' },
  UNSAFE_ENDPOINT: { retryable: false, summary: 'An endpoint would leave the base URL for an origin not in allowedOrigins.' },
  SERIALIZATION: { retryable: false, summary: 'A request body cannot be serialised (BigInt, cycle).' },
  NOT_CONNECTED: { retryable: false, summary: 'The connector was used after disconnect() without a new connect().' },
  CONNECT_TIMEOUT: { retryable: true, summary: 'Opening the connection took longer than timeout.connect.' },
  HEADERS_TIMEOUT: { retryable: true, summary: 'The response headers did not arrive within timeout.headers.' },
  BODY_TIMEOUT: { retryable: true, summary: 'The response body paused for longer than timeout.bodyIdle.' },
  TIMEOUT: { retryable: false, summary: 'The whole call, all attempts included, exceeded timeout.total.' },
  ATTEMPT_TIMEOUT: { retryable: true, summary: 'One attempt exceeded timeout.attempt.' },
  CONNECTION_REFUSED: { retryable: true, summary: 'Nothing is listening at the host and port.' },
  DNS: { retryable: false, summary: 'The host name does not resolve.' },
  TLS: { retryable: false, summary: 'The TLS handshake failed, usually an untrusted or mismatched certificate.' },
  NETWORK: { retryable: true, summary: 'The connection failed or was reset before a complete response.' },
  ABORTED: { retryable: false, summary: 'The caller aborted the call through its AbortSignal.' },
  HTTP_STATUS: { retryable: false, summary: 'The server answered with an error status and the caller asked for it to throw.' },
  RESPONSE_TOO_LARGE: { retryable: false, summary: 'The response body exceeded maxResponseBytes.' },
  INVALID_RESPONSE: { retryable: false, summary: 'The response body does not match its content type (e.g. invalid JSON).' },
  SCHEMA_MISMATCH: { retryable: false, summary: 'The response body failed the schema given for it.' },
  REDIRECT: { retryable: false, summary: 'A redirect was refused: too many hops, a missing Location, or https to http.' },
  CIRCUIT_OPEN: { retryable: false, summary: 'The circuit breaker is open; the call was not attempted.' },
  RATE_LIMITED: { retryable: false, summary: 'The rate limiter queue is full or the wait would exceed maxWait.' },
  RETRY_AFTER_TOO_LONG: { retryable: false, summary: 'The server asked for a wait longer than retry.maxRetryAfter.' },
  BULKHEAD_FULL: { retryable: false, summary: 'The bulkhead has no free slot and its queue is full.' },
  MIDDLEWARE: { retryable: false, summary: 'A middleware broke the chain contract, e.g. called next() twice with one context.' },
  AUTH: { retryable: false, summary: 'Credentials could not be obtained or were rejected.' },
  UNKNOWN_CONNECTOR: { retryable: false, summary: 'No connector with that name is registered.' },
  PIPELINE: { retryable: false, summary: 'A pipeline definition is invalid: unknown step type, cycle, missing start step, bad edge.' },
  TEMPLATE: { retryable: false, summary: 'A {{ template }} is malformed or refers to a missing step, field or parameter.' },
  STEP: { retryable: false, summary: 'A pipeline step failed; the cause carries the underlying error.' },
  UNSUPPORTED: { retryable: false, summary: 'The connector cannot do what was asked, e.g. a subscription without WebSocket support.' },
  GRAPHQL: { retryable: false, summary: 'The GraphQL server returned errors and the caller asked for them to throw.' },
  GRAPHQL_SYNTAX: { retryable: false, summary: 'A GraphQL document does not parse; nothing was sent.' },
  GRAPHQL_VALIDATION: { retryable: false, summary: 'A GraphQL document or its variables do not validate against the schema; nothing was sent.' },
  GRPC: { retryable: false, summary: 'A gRPC call ended with a non-OK status; grpcCode says which.' },
  PROTO: { retryable: false, summary: 'A .proto file is missing or invalid, or a service, method or message does not match it.' },
  WEBSOCKET: { retryable: true, summary: 'The WebSocket closed or misbehaved; the close code and reason are in details.' },
  QUEUE_FULL: { retryable: false, summary: 'A bounded buffer or send queue is full.' },
  MESSAGE_TOO_LARGE: { retryable: false, summary: 'A message exceeds maxPayload.' },
  CASSETTE_MISS: { retryable: false, summary: 'A replayed call has no recorded answer in the cassette.' },
  STORE_UNAVAILABLE: { retryable: true, summary: 'The shared store (Redis) is unreachable and onStoreError is fail_closed; the call was not attempted.' },
  UNKNOWN_RUN: { retryable: false, summary: 'No distributed run with that id is known to the queue (never enqueued, or expired).' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

/**
 * The literal union of every error code; narrow on it with a `switch`.
 *
 * @example
 * ```ts
 * import type { ErrorCode } from 'ia-connectors';
 * const code: ErrorCode = 'TIMEOUT';
 * ```
 */
export type ErrorCode = keyof typeof ERROR_CODES;
