/**
 * How a gRPC method streams: `unary` (one message each way), `serverStream` (one
 * request, many replies), `clientStream` (many requests, one reply) or `bidi`.
 *
 * @example
 * ```ts
 * import type { GrpcCallKind } from 'ia-connectors';
 * const kind: GrpcCallKind = 'serverStream';
 * ```
 */
export type GrpcCallKind = 'unary' | 'serverStream' | 'clientStream' | 'bidi';

/**
 * Metadata to send: lower-case keys; text values, or `Buffer`s for keys ending in
 * `-bin`; an array sends the key once per value.
 *
 * @example
 * ```ts
 * import type { GrpcMetadataInit } from 'ia-connectors';
 * const md: GrpcMetadataInit = { 'x-request-id': 'r-42', 'trace-bin': Buffer.from([1, 2]) };
 * ```
 */
export type GrpcMetadataInit = Readonly<Record<string, string | Buffer | readonly (string | Buffer)[]>>;

/**
 * Metadata received (response headers or trailers): one value per key, or an array
 * when the key came several times. Sensitive values are redacted.
 *
 * @example
 * ```ts
 * import type { GrpcMetadata } from 'ia-connectors';
 * const trailers: GrpcMetadata = { 'x-cache': 'hit' };
 * ```
 */
export type GrpcMetadata = Record<string, string | Buffer | (string | Buffer)[]>;

/**
 * One unary call: the method (`SayHello`, `pkg.Greeter/SayHello` or
 * `/pkg.Greeter/SayHello`), the request message as a plain object (checked against
 * its message type before sending), per-call metadata, and how long it may take.
 *
 * @example
 * ```ts
 * import type { GrpcRequest } from 'ia-connectors';
 * const req: GrpcRequest = { method: 'SayHello', request: { name: 'ada' }, metadata: { 'x-team': 'data' }, timeout: 2000 };
 * ```
 */
export interface GrpcRequest<T = Record<string, unknown>> {
  method: string;
  /** The request message; `{}` when omitted. */
  request?: T;
  metadata?: GrpcMetadataInit;
  /** Milliseconds the call may take, all attempts included; sent to the server as the gRPC deadline. */
  timeout?: number;
  /** An absolute deadline, for callers that already hold one; the nearer of `timeout` and `deadline` wins. */
  deadline?: Date;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * Opening a bidirectional stream: everything of {@link GrpcRequest} but the message.
 * `timeout` and `deadline` bound the whole stream; without them it may run as long as
 * both sides keep it open.
 *
 * @example
 * ```ts
 * import type { GrpcStreamRequest } from 'ia-connectors';
 * const open: GrpcStreamRequest = { method: 'Chat', metadata: { room: 'general' } };
 * ```
 */
export type GrpcStreamRequest = Omit<GrpcRequest, 'request'>;

/**
 * A client-streaming call: the messages to send come from an iterable (an array
 * can be replayed and so retried; an async iterable is read once and never retried).
 *
 * @example
 * ```ts
 * import type { GrpcClientStreamRequest } from 'ia-connectors';
 * const upload: GrpcClientStreamRequest<{ value: number }> = { method: 'Sum', messages: [{ value: 1 }, { value: 2 }] };
 * ```
 */
export interface GrpcClientStreamRequest<T = Record<string, unknown>> extends GrpcStreamRequest {
  messages: Iterable<T> | AsyncIterable<T>;
}

/**
 * What travels through the policy chain for every kind of call; middleware sees it
 * as `ctx.request`. `kind` says what is being done: a whole unary or client-streaming
 * call, or the opening of a server or bidirectional stream.
 *
 * @example
 * ```ts
 * import type { Middleware, GrpcCall, GrpcResult } from 'ia-connectors';
 * const log: Middleware<GrpcCall, GrpcResult> = (ctx, next) => { console.log(ctx.request.kind, ctx.request.method); return next(); };
 * ```
 */
export interface GrpcCall {
  readonly kind: GrpcCallKind;
  readonly method: string;
  /** The message of a unary or server-streaming call. */
  readonly request?: unknown;
  /** The messages of a client-streaming call. */
  readonly messages?: Iterable<unknown> | AsyncIterable<unknown>;
  readonly metadata?: GrpcMetadataInit | undefined;
  /** Lifetime of a stream in milliseconds (a unary call is bounded by the chain's deadline). */
  readonly timeout?: number | undefined;
}

/**
 * The result of a unary or client-streaming call. A non-OK status is never a
 * response: it is thrown as a `ConnectorError` carrying `grpcCode`.
 *
 * @example
 * ```ts
 * import type { GrpcResponse } from 'ia-connectors';
 * const greet = (res: GrpcResponse<{ message: string }>) => `${res.body.message} (${res.trailers['x-served-by'] ?? '?'})`;
 * ```
 */
export interface GrpcResponse<T = unknown> {
  /** The response message. */
  readonly body: T;
  /** Always `0` (OK): other statuses are thrown. */
  readonly status: 0;
  readonly ok: true;
  /** Response headers (initial metadata). */
  readonly headers: GrpcMetadata;
  /** Trailers (the metadata sent with the status). */
  readonly trailers: GrpcMetadata;
  /** The full method path, e.g. `/pkg.Greeter/SayHello`. */
  readonly method: string;
  /** Wall-clock duration of the whole call, all attempts included. */
  readonly durationMs: number;
  /** How many attempts were made (1 without retries). */
  readonly attempts: number;
}

/**
 * A server stream: iterate it with `for await`. Breaking out of the loop, `cancel()`
 * or the caller's `AbortSignal` cancels the call and frees its HTTP/2 stream. A
 * non-OK status ends the iteration with a `ConnectorError`.
 *
 * @example
 * ```ts
 * import type { GrpcServerStream } from 'ia-connectors';
 * async function firstTen(stream: GrpcServerStream<{ id: string }>) {
 *   const ids: string[] = [];
 *   for await (const item of stream) if (ids.push(item.id) === 10) break;
 *   return ids;
 * }
 * ```
 */
export interface GrpcServerStream<T = unknown> extends AsyncIterable<T>, AsyncDisposable {
  readonly method: string;
  /** Response headers, when the server sends them (`{}` if it ends without); never rejects. */
  readonly headers: Promise<GrpcMetadata>;
  /** Trailers, once the stream ended (with any status); never rejects. */
  readonly trailers: Promise<GrpcMetadata>;
  /** Attempts it took to open the stream. */
  readonly attempts: number;
  /** Cancels the call; an iteration in progress ends quietly. */
  cancel(): void;
}

/**
 * A bidirectional stream: `send()` messages, `end()` when done sending, and iterate
 * the replies. `send()` throws at once for a message that does not match its type or
 * after `end()`; it resolves when the message was handed to the transport and never
 * rejects, since the call's failure comes out of the reply iteration.
 *
 * @example
 * ```ts
 * import type { GrpcDuplex } from 'ia-connectors';
 * async function chat(duplex: GrpcDuplex<{ text: string }, { text: string }>) {
 *   await duplex.send({ text: 'hello' });
 *   duplex.end();
 *   for await (const reply of duplex) console.log(reply.text);
 * }
 * ```
 */
export interface GrpcDuplex<Req = Record<string, unknown>, Res = unknown> extends AsyncIterable<Res>, AsyncDisposable {
  readonly method: string;
  /** Response headers, when the server sends them (`{}` if it ends without); never rejects. */
  readonly headers: Promise<GrpcMetadata>;
  /** Trailers, once the call ended (with any status); never rejects. */
  readonly trailers: Promise<GrpcMetadata>;
  send(message: Req): Promise<void>;
  /** Half-closes: the server sees the end of the request stream. */
  end(): void;
  /** Cancels the call; an iteration in progress ends quietly. */
  cancel(): void;
}

/**
 * What the chain returns for a {@link GrpcCall}: a response, or an opened stream.
 *
 * @example
 * ```ts
 * import type { GrpcResult } from 'ia-connectors';
 * const isStream = (r: GrpcResult) => Symbol.asyncIterator in r;
 * ```
 */
export type GrpcResult = GrpcResponse | GrpcServerStream | GrpcDuplex;

/**
 * What the connector knows about a method.
 *
 * @example
 * ```ts
 * import type { GrpcMethodInfo } from 'ia-connectors';
 * const describe = (m: GrpcMethodInfo) => `${m.path} (${m.kind}${m.idempotent ? ', idempotent' : ''})`;
 * ```
 */
export interface GrpcMethodInfo {
  /** `/pkg.Service/Method`. */
  readonly path: string;
  /** Fully qualified service name, `pkg.Service`. */
  readonly service: string;
  readonly name: string;
  readonly kind: GrpcCallKind;
  /** True when retrying it cannot change the outcome (config or the proto's `idempotency_level`). */
  readonly idempotent: boolean;
  /** Fully qualified message types, when the proto is known. */
  readonly requestType: string | undefined;
  readonly responseType: string | undefined;
}
