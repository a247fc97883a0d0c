import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { CallSignal } from '../../core/call-signal.js';
import type { ResponseHeaders } from '../../core/types.js';
import type { ConnectorErrorDetails } from '../../core/errors.js';
import { CollectHandler, type CollectedResponse } from './collect-handler.js';
import { toNetworkError } from './network-errors.js';

/**
 * One HTTP exchange's raw result: the body as one buffer, or an unread stream when
 * the caller asked for `responseType: 'stream'`.
 *
 * @example
 * ```ts
 * import type { Exchange } from 'ia-connectors';
 * const e: Exchange = { statusCode: 204, headers: {}, body: Buffer.alloc(0) };
 * ```
 */
export interface Exchange {
  statusCode: number;
  headers: ResponseHeaders;
  body: Buffer | Readable;
}

/**
 * What one exchange sends and how it is bounded.
 *
 * @example
 * ```ts
 * import type { ExchangeOptions } from 'ia-connectors';
 * const o: ExchangeOptions = { origin: 'http://127.0.0.1:8080', path: '/', method: 'GET', headers: {}, body: undefined, signal: undefined, stream: false, maxBytes: 1024, details: { url: 'http://127.0.0.1:8080/' } };
 * ```
 */
export interface ExchangeOptions {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | Readable | AsyncIterable<Uint8Array> | undefined;
  signal: CallSignal | undefined;
  stream: boolean;
  maxBytes: number;
  /** Facts for error messages (URL already redacted). */
  details: ConnectorErrorDetails & { url: string };
}

/**
 * Sends one request on `dispatcher`. Buffered responses go through a
 * {@link CollectHandler} (no per-response stream); streamed ones through
 * `Dispatcher.request()`. Failures become `ConnectorError`s that say what to check.
 *
 * @example
 * ```ts
 * import { Pool } from 'undici';
 * import { exchange } from 'ia-connectors';
 * const pool = new Pool('http://127.0.0.1:8080');
 * const res = await exchange(pool, { origin: 'http://127.0.0.1:8080', path: '/', method: 'GET', headers: {}, body: undefined, signal: undefined, stream: false, maxBytes: 1 << 20, details: { url: 'http://127.0.0.1:8080/' } });
 * ```
 */
export function exchange(dispatcher: Dispatcher, options: ExchangeOptions): Promise<Exchange> {
  const { origin, path, method, headers, signal, details } = options;
  const body = isAsyncIterable(options.body) ? Readable.from(options.body) : options.body;
  if (options.stream) return streamed(dispatcher, { origin, path, method: method as Dispatcher.HttpMethod, headers, body, signal: signal as AbortSignal | undefined }, details, signal);
  return new Promise<Exchange>((resolve, reject) => {
    const describe = `${method} ${details.url}`;
    let onAbort: (() => void) | undefined;
    const done = (response: CollectedResponse): void => {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      resolve(response);
    };
    const fail = (error: unknown, phase: 'request' | 'body', status: number | undefined): void => {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      reject(toNetworkError(error, status === undefined ? details : { ...details, status }, signal, phase));
    };
    const handler = new CollectHandler(done, fail, options.maxBytes, describe);
    if (signal) {
      if (signal.aborted) handler.abort(signal.reason);
      else signal.addEventListener('abort', (onAbort = () => handler.abort(signal.reason)), { once: true });
    }
    try {
      dispatcher.dispatch({ origin, path, method: method as Dispatcher.HttpMethod, headers, body }, handler);
    } catch (error) {
      fail(error, 'request', undefined);
    }
  });
}

async function streamed(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
  details: ConnectorErrorDetails & { url: string },
  signal: CallSignal | undefined,
): Promise<Exchange> {
  try {
    const data = await dispatcher.request(options);
    return { statusCode: data.statusCode, headers: data.headers, body: data.body };
  } catch (error) {
    throw toNetworkError(error, details, signal, 'request');
  }
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && !(body instanceof Uint8Array) && !(body instanceof Readable) && Symbol.asyncIterator in body;
}
