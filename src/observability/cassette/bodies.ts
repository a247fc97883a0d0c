import { Readable } from 'node:stream';
import type { ResponseType } from '../../core/types.js';
import type { RecordedBody } from './format.js';

/**
 * A stored response body as the caller would have read it: JSON as a fresh value,
 * text as a string, bytes as a `Buffer`, or a `Readable` for `responseType: 'stream'`;
 * `json`, `text` and `bytes` convert a body stored in another form.
 *
 * @example
 * ```ts
 * import { replayedBody } from './bodies.js';
 * replayedBody({ json: { id: 1 } }, undefined); // { id: 1 }
 * replayedBody({ text: 'hi' }, 'bytes'); // <Buffer 68 69>
 * ```
 */
export function replayedBody(stored: RecordedBody | undefined, responseType: ResponseType | undefined): unknown {
  if (stored === undefined) return responseType === 'stream' ? Readable.from([]) : undefined;
  switch (responseType) {
    case 'stream':
      return Readable.from([bytesOf(stored)]);
    case 'bytes':
      return bytesOf(stored);
    case 'text':
      return bytesOf(stored).toString('utf8');
    case 'json':
      return 'json' in stored ? structuredClone(stored.json) : parseOrText(bytesOf(stored).toString('utf8'));
    default:
      if ('json' in stored) return structuredClone(stored.json);
      if ('text' in stored) return stored.text;
      return bytesOf(stored);
  }
}

function bytesOf(stored: RecordedBody): Buffer {
  if ('base64' in stored) return Buffer.from(stored.base64, 'base64');
  if ('text' in stored) return Buffer.from(stored.text, 'utf8');
  if ('json' in stored) return Buffer.from(JSON.stringify(stored.json) ?? '', 'utf8');
  return Buffer.alloc(0);
}

function parseOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A URL stored without its origin when it has the connector's origin, so a cassette
 * recorded against one host and port replays against another.
 *
 * @example
 * ```ts
 * import { relativeUrl } from './bodies.js';
 * relativeUrl('http://127.0.0.1:8080/v1/users', 'http://127.0.0.1:8080'); // '/v1/users'
 * ```
 */
export function relativeUrl(url: string, origin: string): string {
  return url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
}

/**
 * The inverse of {@link relativeUrl}: a stored path gets the connector's origin back.
 *
 * @example
 * ```ts
 * import { absoluteUrl } from './bodies.js';
 * absoluteUrl('/v1/users', 'http://127.0.0.1:9090'); // 'http://127.0.0.1:9090/v1/users'
 * ```
 */
export function absoluteUrl(stored: string, origin: string): string {
  return stored.startsWith('/') ? origin + stored : stored;
}
