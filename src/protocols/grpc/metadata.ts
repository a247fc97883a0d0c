import type { Metadata } from '@grpc/grpc-js';
import { ConnectorError } from '../../core/errors.js';
import { REDACTED, type Redactor } from '../../observability/redact.js';
import type { GrpcMetadata, GrpcMetadataInit } from './types.js';

const KEY = /^[0-9a-z_.-]+$/;
// What HTTP/2 lets a text metadata value carry: visible ASCII and spaces.
const TEXT_VALUE = /^[\x20-\x7e]*$/;

/**
 * Why `key` cannot be a metadata key, or undefined when it can. Keys are lower-case
 * letters, digits, `-`, `_` and `.`; `grpc-` is reserved for the protocol.
 *
 * @example
 * ```ts
 * import { metadataKeyProblem } from './metadata.js';
 * metadataKeyProblem('X-Trace'); // 'must be lower-case ...'
 * ```
 */
export function metadataKeyProblem(key: string): string | undefined {
  if (key === '') return 'a metadata key must not be empty';
  if (key !== key.toLowerCase()) return `"${key}" must be lower-case, e.g. "${key.toLowerCase()}"`;
  if (!KEY.test(key)) return `"${key}" may hold only lower-case letters, digits, "-", "_" and "."`;
  if (key.startsWith('grpc-')) return `"${key}": keys starting with "grpc-" are reserved for the protocol`;
  return undefined;
}

/**
 * Adds `init` to `target` (replacing keys already there), checking every key and
 * value; a bad one is an `INVALID_REQUEST` naming it (`where` says whose metadata).
 *
 * @example
 * ```ts
 * import { Metadata } from '@grpc/grpc-js';
 * import { addMetadata } from './metadata.js';
 * const md = addMetadata(new Metadata(), { 'x-request-id': 'r-1' }, 'request metadata');
 * ```
 */
export function addMetadata(target: Metadata, init: GrpcMetadataInit, where: string): Metadata {
  for (const key of Object.keys(init)) {
    const problem = metadataKeyProblem(key);
    if (problem) throw new ConnectorError('INVALID_REQUEST', `${where}: ${problem}`);
    const value = init[key] as string | Buffer | readonly (string | Buffer)[];
    const values = typeof value === 'string' || Buffer.isBuffer(value) ? [value] : value;
    target.remove(key);
    for (const item of values) target.add(key, checkedValue(key, item, where));
  }
  return target;
}

function checkedValue(key: string, value: unknown, where: string): string | Buffer {
  const binary = key.endsWith('-bin');
  if (binary) {
    if (Buffer.isBuffer(value)) return value;
    throw new ConnectorError('INVALID_REQUEST', `${where} "${key}": a -bin key carries bytes; pass a Buffer, e.g. Buffer.from(bytes)`);
  }
  if (typeof value !== 'string') {
    throw new ConnectorError('INVALID_REQUEST', `${where} "${key}": must be a string (or use a key ending in -bin for a Buffer), got ${describe(value)}`);
  }
  if (!TEXT_VALUE.test(value)) {
    throw new ConnectorError('INVALID_REQUEST', `${where} "${key}": text metadata may hold printable ASCII only; encode other data or use a -bin key`);
  }
  return value;
}

/**
 * Received metadata as a plain object: one value per key, an array for repeated
 * keys; values of sensitive keys (`authorization`, cookies, the auth strategy's
 * headers) and known secrets are redacted.
 *
 * @example
 * ```ts
 * import { Metadata } from '@grpc/grpc-js';
 * import { Redactor } from 'ia-connectors';
 * import { metadataRecord } from './metadata.js';
 * const md = new Metadata(); md.set('x-cache', 'hit');
 * metadataRecord(md, new Redactor()); // { 'x-cache': 'hit' }
 * ```
 */
export function metadataRecord(metadata: Metadata | undefined, redactor: Redactor): GrpcMetadata {
  const out: GrpcMetadata = {};
  if (!metadata) return out;
  const all = metadata.toJSON();
  for (const key of Object.keys(all)) {
    const values = (all[key] ?? []).map((v) => (typeof v === 'string' ? (redactor.isSensitiveHeader(key) || redactor.isSecretName(key) ? REDACTED : redactor.text(v)) : v));
    if (values.length === 1) out[key] = values[0] as string | Buffer;
    else if (values.length > 1) out[key] = values;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
