import { Readable } from 'node:stream';
import { ConnectorError } from '../../core/errors.js';
import type { ApiRequest } from '../../core/types.js';

/**
 * A request body ready for the wire. `replayable` is false for streams, which can be
 * sent only once (so they are never retried or re-sent on a 307/308 redirect).
 *
 * @example
 * ```ts
 * import { serializeBody } from 'ia-connectors';
 * serializeBody({ method: 'POST', endpoint: '/x', json: { a: 1 } }); // { body: '{"a":1}', contentType: 'application/json', replayable: true }
 * ```
 */
export interface SerializedBody {
  body: string | Uint8Array | Readable | AsyncIterable<Uint8Array> | undefined;
  contentType: string | undefined;
  replayable: boolean;
}

const EMPTY: SerializedBody = { body: undefined, contentType: undefined, replayable: true };

/**
 * Serialises `json`, `form` or `body` of a request; at most one may be set.
 *
 * @example
 * ```ts
 * import { serializeBody } from 'ia-connectors';
 * serializeBody({ method: 'POST', endpoint: '/login', form: { user: 'ada' } }).contentType; // 'application/x-www-form-urlencoded'
 * ```
 */
export function serializeBody(request: ApiRequest): SerializedBody {
  const { json, form, body } = request;
  const given = (json !== undefined ? 1 : 0) + (form !== undefined ? 1 : 0) + (body !== undefined ? 1 : 0);
  if (given === 0) return EMPTY;
  if (given > 1) throw new ConnectorError('INVALID_REQUEST', 'set only one of json, form and body on a request');
  if (request.method === 'GET' || request.method === 'HEAD') {
    throw new ConnectorError('INVALID_REQUEST', `a ${request.method} request cannot carry a body; send the data as query parameters`);
  }
  if (json !== undefined) return { body: stringifyJson(json), contentType: 'application/json', replayable: true };
  if (form !== undefined) return { body: encodeForm(form), contentType: 'application/x-www-form-urlencoded', replayable: true };
  if (typeof body === 'string') return { body, contentType: 'text/plain; charset=utf-8', replayable: true };
  if (body instanceof Uint8Array) return { body, contentType: 'application/octet-stream', replayable: true };
  if (body instanceof Readable || isAsyncIterable(body)) return { body, contentType: 'application/octet-stream', replayable: false };
  throw new ConnectorError('SERIALIZATION', 'body must be a string, a Uint8Array, a Readable or an AsyncIterable of bytes; use json for objects');
}

function stringifyJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
    return text;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConnectorError(
      'SERIALIZATION',
      `request body cannot be serialised as JSON (${reason}); convert BigInt values to strings and remove circular references`,
      { cause: error },
    );
  }
}

function encodeForm(form: NonNullable<ApiRequest['form']>): string {
  if (form instanceof URLSearchParams) return form.toString();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params.toString();
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
