import { ConnectorError } from '../../core/errors.js';
import type { ResponseHeaders, ResponseType } from '../../core/types.js';

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json/i;
const TEXT_TYPE = /^text\/|^application\/(?:[\w.+-]*\+)?xml|^application\/(?:x-www-form-urlencoded|javascript|ecmascript)/i;
const SNIPPET = 80;

/**
 * Parses a body read whole: JSON (also `+json`), text (`text/*`, XML, form), or bytes
 * for anything else — or as `responseType` says. Invalid JSON under a JSON content
 * type is `INVALID_RESPONSE` with a short snippet of the body.
 *
 * @example
 * ```ts
 * import { decodeBody } from 'ia-connectors';
 * decodeBody(Buffer.from('{"a":1}'), { 'content-type': 'application/json' }, 'auto', 'GET http://127.0.0.1/'); // { a: 1 }
 * ```
 */
export function decodeBody(bytes: Buffer, headers: ResponseHeaders, responseType: Exclude<ResponseType, 'stream'>, describe: string): unknown {
  const contentType = headers['content-type'];
  const type = typeof contentType === 'string' ? contentType : '';
  const kind = responseType === 'auto' ? kindOf(type) : responseType;
  if (kind === 'bytes') return bytes;
  const text = bytes.toString('utf8');
  if (kind === 'text') return text;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const snippet = text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
    throw new ConnectorError(
      'INVALID_RESPONSE',
      `${describe}: the body is not valid JSON although content-type says "${type || 'json'}" (${(error as Error).message}); it starts with: ${JSON.stringify(snippet)}`,
      { cause: error },
    );
  }
}

function kindOf(contentType: string): 'json' | 'text' | 'bytes' {
  if (JSON_TYPE.test(contentType)) return 'json';
  if (TEXT_TYPE.test(contentType)) return 'text';
  return contentType === '' ? 'text' : 'bytes';
}
