import type { Readable } from 'node:stream';
import { ConnectorError } from '../../core/errors.js';
import type { ResponseHeaders, ResponseType } from '../../core/types.js';

const JSON_TYPE = /^application\/(.+\+)?json|^application\/problem\+json/i;
const TEXT_TYPE = /^text\/|^application\/(.+\+)?xml|^application\/(x-www-form-urlencoded|javascript|ecmascript)/i;
const SNIPPET = 80;

/**
 * Reads and parses a response body. The size limit is enforced while reading: a body
 * over `maxBytes` is cut off and the socket released, whatever Content-Length said.
 * With `responseType: 'stream'` the body is returned unread and the caller bounds it.
 *
 * @example
 * ```ts
 * import { readBody } from 'ia-connectors';
 * import { Readable } from 'node:stream';
 * await readBody(Readable.from([Buffer.from('{"a":1}')]), { 'content-type': 'application/json' }, 'auto', 1024, 'GET http://x/');
 * ```
 */
export async function readBody(
  stream: Readable,
  headers: ResponseHeaders,
  responseType: ResponseType,
  maxBytes: number,
  describe: string,
): Promise<unknown> {
  // A stream is read by the caller at its own pace, so the in-memory limit does not apply to it.
  if (responseType === 'stream') return stream;
  const declared = Number(headers['content-length']);
  if (declared > maxBytes) {
    stream.destroy();
    throw tooLarge(describe, maxBytes, `Content-Length is ${declared}`);
  }
  const contentType = String(headers['content-type'] ?? '');
  const kind = responseType === 'auto' ? kindOf(contentType) : responseType;
  // With a trustworthy length under the limit, undici's own consumer is the fastest reader.
  const consumable = declared >= 0 && isConsumable(stream) ? stream : undefined;
  if (kind === 'bytes') return consumable ? Buffer.from(await consumable.arrayBuffer()) : collect(stream, maxBytes, describe);
  const text = consumable ? await consumable.text() : (await collect(stream, maxBytes, describe)).toString('utf8');
  if (kind === 'text') return text;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const snippet = text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
    throw new ConnectorError(
      'INVALID_RESPONSE',
      `${describe}: the body is not valid JSON although content-type says "${contentType || 'json'}" (${(error as Error).message}); it starts with: ${JSON.stringify(snippet)}`,
      { cause: error },
    );
  }
}

function kindOf(contentType: string): 'json' | 'text' | 'bytes' {
  if (JSON_TYPE.test(contentType)) return 'json';
  if (TEXT_TYPE.test(contentType)) return 'text';
  return contentType === '' ? 'text' : 'bytes';
}

interface ConsumableBody {
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

function isConsumable(stream: Readable): stream is Readable & ConsumableBody {
  return typeof (stream as Partial<ConsumableBody>).text === 'function' && typeof (stream as Partial<ConsumableBody>).arrayBuffer === 'function';
}

function collect(stream: Readable, maxBytes: number, describe: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      reject(tooLarge(describe, maxBytes, `more than ${maxBytes} bytes arrived`));
      stream.destroy();
    });
    stream.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    stream.once('error', reject);
  });
}

function tooLarge(describe: string, maxBytes: number, why: string): ConnectorError {
  return new ConnectorError(
    'RESPONSE_TOO_LARGE',
    `${describe}: the response is larger than maxResponseBytes (${maxBytes}): ${why}; raise maxResponseBytes or use responseType 'stream'`,
    { details: { maxResponseBytes: maxBytes } },
  );
}
