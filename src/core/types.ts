import type { Readable } from 'node:stream';

/**
 * The seven HTTP methods a REST connector sends.
 *
 * @example
 * ```ts
 * import { HTTP_METHODS } from 'ia-connectors';
 * HTTP_METHODS.includes('PATCH'); // true
 * ```
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * One of {@link HTTP_METHODS}.
 *
 * @example
 * ```ts
 * import type { HttpMethod } from 'ia-connectors';
 * const m: HttpMethod = 'GET';
 * ```
 */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * A query value: scalars, arrays (repeated keys) and `undefined` (omitted).
 *
 * @example
 * ```ts
 * import type { QueryParams } from 'ia-connectors';
 * const q: QueryParams = { tag: ['a', 'b'], limit: 10, cursor: undefined };
 * ```
 */
export type QueryParams = Record<string, string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>>;

/**
 * A raw request body, sent as-is. Streams and async iterables are sent chunked and
 * cannot be replayed, so a request carrying one is never retried.
 *
 * @example
 * ```ts
 * import type { RawBody } from 'ia-connectors';
 * const body: RawBody = new Uint8Array([1, 2, 3]);
 * ```
 */
export type RawBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

/**
 * How the response body is read: by content type (`auto`, the default), or as
 * `json`, `text`, `bytes`, or left unread as a `stream`.
 *
 * @example
 * ```ts
 * import type { ResponseType } from 'ia-connectors';
 * const t: ResponseType = 'stream';
 * ```
 */
export type ResponseType = 'auto' | 'json' | 'text' | 'bytes' | 'stream';

/**
 * A protocol-neutral description of one REST call. Exactly one of `json`, `form` and
 * `body` may be set.
 *
 * @example
 * ```ts
 * import type { ApiRequest } from 'ia-connectors';
 * const req: ApiRequest = { method: 'GET', endpoint: '/users/{id}', params: { id: 'ada' }, query: { expand: ['posts'] } };
 * ```
 */
export interface ApiRequest {
  method: HttpMethod;
  /** Path relative to the connector's base URL; `{name}` placeholders are filled from `params`. */
  endpoint: string;
  /** Values for `{name}` placeholders, each URL-encoded as one path segment. */
  params?: Record<string, string | number | boolean>;
  query?: QueryParams;
  headers?: Record<string, string>;
  /** A JSON body; sent with `content-type: application/json`. */
  json?: unknown;
  /** A form body; sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>> | URLSearchParams;
  /** A raw body: text, bytes or a stream. */
  body?: RawBody;
  responseType?: ResponseType;
  /** Total time for this call in milliseconds, overriding the connector's `timeout.total`. */
  timeout?: number;
  /** Cancels the call and releases its socket. */
  signal?: AbortSignal;
}

/**
 * Response headers, lower-cased; repeated headers (such as `set-cookie`) are arrays.
 *
 * @example
 * ```ts
 * import type { ResponseHeaders } from 'ia-connectors';
 * const h: ResponseHeaders = { 'content-type': 'application/json' };
 * ```
 */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * What a call produced. An HTTP error status is a response with `ok: false`, not an
 * exception; call `throwIfNotOk()` (or set `throwHttpErrors`) for got/ky's behaviour.
 *
 * @example
 * ```ts
 * import type { ApiResponse } from 'ia-connectors';
 * function names(res: ApiResponse<{ name: string }[]>) { return res.throwIfNotOk().body.map((u) => u.name); }
 * ```
 */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  /** Parsed by content type (JSON, text, bytes), or a stream when `responseType: 'stream'`. */
  body: T;
  /** True for 2xx. */
  ok: boolean;
  /** The final URL, after redirects, with secrets redacted. */
  url: string;
  /** Wall-clock duration of the whole call, all attempts included. */
  durationMs: number;
  /** How many attempts were made (1 without retries). */
  attempts: number;
  /** Throws an `HTTP_STATUS` {@link ConnectorError} unless `ok`; returns the response otherwise. */
  throwIfNotOk(): this;
}
