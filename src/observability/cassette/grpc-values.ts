import { Metadata } from '@grpc/grpc-js';
import { ConnectorError } from '../../core/errors.js';
import type { GrpcCall, GrpcMetadata } from '../../protocols/grpc/types.js';
import { REDACTED, type Redactor } from '../redact.js';
import type { RequestView } from './track.js';
import { bytesAsJson, bytesFromJson, plainJson, sortedJson } from './json.js';
import { namedSecrets, recordedJson } from './redaction.js';

/**
 * How a gRPC cassette names recorded calls in messages, and which calls go to the same
 * place (the same method).
 *
 * @example
 * ```ts
 * import { GRPC_VIEW } from './grpc-values.js';
 * GRPC_VIEW.describe({ kind: 'unary', method: '/p.S/Get', message: { id: 1 } }); // '/p.S/Get {"id":1}'
 * ```
 */
export const GRPC_VIEW: RequestView = {
  describe: (r) => `${r['kind'] === 'serverStream' ? 'server stream ' : ''}${String(r['method'])} ${JSON.stringify(r['message'])}`,
  sameEndpoint: (a, b) => a['method'] === b['method'],
};

/**
 * What a gRPC call is stored and matched by: its kind, the method's full path and the
 * request message as JSON (keys sorted, bytes as base64, credential-named fields and
 * known secrets hidden).
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { grpcRequestKey } from './grpc-values.js';
 * grpcRequestKey('unary', '/p.S/Get', { b: 1, a: 2 }, new Redactor()); // { kind: 'unary', method: '/p.S/Get', message: { a: 2, b: 1 } }
 * ```
 */
export function grpcRequestKey(kind: GrpcCall['kind'], path: string, message: unknown, redactor: Redactor): Record<string, unknown> {
  const json = plainJson(bytesAsJson(message ?? {}));
  if (json === undefined) {
    throw new ConnectorError('SERIALIZATION', `the request message of ${path} cannot be stored as JSON; convert BigInt values to strings and remove circular references`);
  }
  return { kind, method: path, message: recordedJson(sortedJson(json), redactor) };
}

/**
 * Metadata as stored: keys sorted, credentials (`authorization`, API-key headers,
 * anything named like a credential) replaced, known secrets hidden, bytes as base64.
 * `undefined` for none.
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { recordedMetadata } from './grpc-values.js';
 * recordedMetadata({ authorization: 'Bearer t0k3n', 'x-team': 'data' }, new Redactor()); // { authorization: '[REDACTED]', 'x-team': 'data' }
 * ```
 */
export function recordedMetadata(metadata: Readonly<Record<string, unknown>> | undefined, redactor: Redactor): Record<string, unknown> | undefined {
  const keys = Object.keys(metadata ?? {}).sort();
  if (metadata === undefined || keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = metadata[key];
    const hide = redactor.isSensitiveHeader(key) || redactor.isSecretName(key);
    const one = (item: unknown): unknown => (hide ? REDACTED : typeof item === 'string' ? redactor.text(item) : bytesAsJson(item));
    out[key] = Array.isArray(value) ? value.map(one) : one(value);
  }
  return out;
}

/**
 * Values a call carries under credential names (an `authorization` metadata value, a
 * `password` field of its message), to be hidden in its recorded answer too.
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { grpcSecrets } from './grpc-values.js';
 * grpcSecrets({ kind: 'unary', method: 'Login', request: { password: 'pw-123456' } }, new Redactor()); // ['pw-123456']
 * ```
 */
export function grpcSecrets(call: GrpcCall, redactor: Redactor): string[] {
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(call.metadata ?? {})) if (typeof value === 'string') text[key] = value;
  return namedSecrets({ fields: [call.request], headers: [text] }, redactor);
}

/**
 * Stored metadata as grpc-js `Metadata` again (a `-bin` key's values as bytes).
 *
 * @example
 * ```ts
 * import { metadataOf } from './grpc-values.js';
 * metadataOf({ 'x-cache': 'hit' }).get('x-cache'); // ['hit']
 * ```
 */
export function metadataOf(stored: Record<string, unknown> | undefined): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(plainMetadata(stored))) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const binary = key.endsWith('-bin');
      if (Buffer.isBuffer(item)) metadata.add(key, binary ? item : item.toString('base64'));
      else metadata.add(key, binary ? Buffer.from(String(item)) : String(item));
    }
  }
  return metadata;
}

/**
 * Stored metadata as the plain object a stream's `headers` and `trailers` give.
 *
 * @example
 * ```ts
 * import { plainMetadata } from './grpc-values.js';
 * plainMetadata({ 'trace-bin': { $base64: 'AQI=' } }); // { 'trace-bin': <Buffer 01 02> }
 * ```
 */
export function plainMetadata(stored: Record<string, unknown> | undefined): GrpcMetadata {
  return (bytesFromJson(stored ?? {}) ?? {}) as GrpcMetadata;
}

/**
 * A response message as stored: JSON, bytes as base64, secrets hidden.
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { recordedMessage } from './grpc-values.js';
 * recordedMessage({ token: 'abc', name: 'lamp' }, new Redactor()); // { token: '[REDACTED]', name: 'lamp' }
 * ```
 */
export function recordedMessage(message: unknown, redactor: Redactor): unknown {
  return recordedJson(plainJson(bytesAsJson(message)), redactor);
}
