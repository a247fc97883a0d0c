import { isConnectorError } from '../../core/errors.js';
import type { ResponseHeaders } from '../../core/types.js';
import { REDACTED, type Redactor } from '../redact.js';
import type { RecordedBody, RecordedError } from './format.js';
import { paramsObject, plainJson } from './json.js';

/** Connection-level headers (RFC 9110 §7.6.1) that describe one hop, not the answer. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate']);
const FORM_TYPE = /^application\/x-www-form-urlencoded/i;

/**
 * Response headers as stored: hop-by-hop headers dropped, names sorted, and the values
 * of sensitive headers (`Set-Cookie`, `Authorization`, API-key headers, any header the
 * connector's redactor marks, any named like a credential) replaced; known secrets are
 * hidden inside the others.
 *
 * @example
 * ```ts
 * import { recordedHeaders } from './redaction.js';
 * import { Redactor } from 'ia-connectors';
 * recordedHeaders({ 'set-cookie': ['sid=1'], connection: 'keep-alive', 'content-type': 'text/plain' }, new Redactor());
 * // { 'content-type': 'text/plain', 'set-cookie': '[REDACTED]' }
 * ```
 */
export function recordedHeaders(headers: ResponseHeaders, redactor: Redactor): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of Object.keys(headers).sort()) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
    out[name] = isSensitive(name, redactor) ? REDACTED : redactor.text(value);
  }
  return out;
}

/**
 * Query or form fields with the values of credential parameters (`access_token`,
 * `api_key`, those the connector's redactor knows) replaced and known secrets hidden
 * in the rest.
 *
 * @example
 * ```ts
 * import { recordedParams } from './redaction.js';
 * import { Redactor } from 'ia-connectors';
 * recordedParams({ access_token: 't-1', page: '2' }, new Redactor()); // { access_token: '[REDACTED]', page: '2' }
 * ```
 */
export function recordedParams(params: Record<string, string | string[]>, redactor: Redactor): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(params)) {
    out[name] = redactor.isSensitiveQueryParam(name) ? (Array.isArray(value) ? value.map(() => REDACTED) : REDACTED) : redactor.text(value);
  }
  return out;
}

/**
 * A body as stored, secrets hidden: JSON through {@link recordedJson} (credential-named
 * fields such as a token endpoint's `access_token`, and known secrets), text through
 * `redactor.text()` (a form-encoded text by field), bytes with known secrets blanked.
 * `undefined` for no body.
 *
 * @example
 * ```ts
 * import { recordedBody } from './redaction.js';
 * import { Redactor } from 'ia-connectors';
 * recordedBody({ access_token: 'abc', token_type: 'Bearer' }, undefined, new Redactor()); // { json: { access_token: '[REDACTED]', token_type: 'Bearer' } }
 * ```
 */
export function recordedBody(body: unknown, contentType: string | undefined, redactor: Redactor): RecordedBody | undefined {
  if (body === undefined) return undefined;
  if (body instanceof Uint8Array) return { base64: redactedBytes(body, redactor).toString('base64') };
  if (typeof body === 'string') {
    if (contentType !== undefined && FORM_TYPE.test(contentType)) {
      const form = recordedParams(paramsObject(new URLSearchParams(body)), redactor);
      const pairs = Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]));
      return { text: new URLSearchParams(pairs).toString() };
    }
    return { text: redactor.text(body) };
  }
  return { json: recordedJson(plainJson(body), redactor) };
}

/**
 * A JSON value as stored: what `redactor.value()` hides is hidden (values under
 * credential names such as `access_token`, known secrets in every string), while `null`
 * stays `null`, so an empty field replays as the empty field it was.
 *
 * @example
 * ```ts
 * import { recordedJson } from './redaction.js';
 * import { Redactor } from 'ia-connectors';
 * recordedJson({ token: 'abc', secret: null, user: 'ada' }, new Redactor()); // { token: '[REDACTED]', secret: null, user: 'ada' }
 * ```
 */
export function recordedJson(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redactor.text(value);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => recordedJson(item, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const hidden = item !== null && item !== undefined && typeof item !== 'boolean' && redactor.isSecretName(key);
    out[key] = hidden ? REDACTED : recordedJson(item, redactor, depth + 1);
  }
  return out;
}

/**
 * Bytes with every known (ASCII) secret blanked out: read byte for byte as latin1,
 * redacted, written back, so the other bytes stay exactly as they were.
 *
 * @example
 * ```ts
 * import { redactedBytes } from './redaction.js';
 * import { Redactor } from 'ia-connectors';
 * redactedBytes(Buffer.from('key=s3cr3t'), new Redactor({ secrets: ['s3cr3t'] })).toString(); // 'key=[REDACTED]'
 * ```
 */
export function redactedBytes(bytes: Uint8Array, redactor: Redactor): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  const hidden = redactor.text(text);
  return hidden === text ? Buffer.from(buffer) : Buffer.from(hidden, 'latin1');
}

/**
 * An error as stored: code, redacted message, retryability and the JSON-safe, redacted
 * details (status, the wait the server asked for, ...). A foreign error is stored as a
 * `NETWORK` error that is not retried, which is how the policies judge it.
 *
 * @example
 * ```ts
 * import { recordedError } from './redaction.js';
 * import { ConnectorError, Redactor } from 'ia-connectors';
 * recordedError(new ConnectorError('CONNECTION_REFUSED', 'connection refused'), new Redactor()).retryable; // true
 * ```
 */
export function recordedError(error: unknown, redactor: Redactor): RecordedError {
  if (!isConnectorError(error)) return { code: 'NETWORK', message: redactor.message(error), retryable: false };
  const details = recordedJson(plainJson(error.details), redactor) as Record<string, unknown> | undefined;
  const keep = details !== undefined && Object.keys(details).length > 0;
  return { code: error.code, message: redactor.text(error.message), retryable: error.retryable, ...(keep ? { details } : {}) };
}

function isSensitive(name: string, redactor: Redactor): boolean {
  return redactor.isSensitiveHeader(name) || redactor.isSecretName(name);
}

/**
 * Values a request carries under credential names (an `access_token` query parameter,
 * a `password` field, an `Authorization` header and its credential part), found so
 * that a response echoing them back is stored with them hidden too.
 *
 * @example
 * ```ts
 * import { namedSecrets } from './redaction.js';
 * import { Redactor } from 'ia-connectors';
 * namedSecrets({ fields: [{ user: 'ada', password: 'pw-123456' }] }, new Redactor()); // ['pw-123456']
 * ```
 */
export function namedSecrets(
  parts: { params?: readonly unknown[]; fields?: readonly unknown[]; headers?: readonly (Readonly<Record<string, string>> | undefined)[] },
  redactor: Redactor,
): string[] {
  const found = new Set<string>();
  for (const params of parts.params ?? []) collect(params, (name) => redactor.isSensitiveQueryParam(name), found);
  for (const fields of parts.fields ?? []) collect(fields, (name) => redactor.isSecretName(name), found);
  for (const headers of parts.headers ?? []) {
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (!isSensitive(name, redactor)) continue;
      found.add(value);
      const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1];
      if (credential !== undefined) found.add(credential);
    }
  }
  return [...found];
}

function collect(value: unknown, isSecretKey: (name: string) => boolean, found: Set<string>, depth = 0): void {
  if (depth > 32 || value === null || typeof value !== 'object') return;
  const entries = value instanceof URLSearchParams ? [...value.entries()] : Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    if (key !== '' && isSecretKey(key)) {
      for (const v of Array.isArray(item) ? item : [item]) if (typeof v === 'string' || typeof v === 'number') found.add(String(v));
    } else {
      collect(item, isSecretKey, found, depth + 1);
    }
  }
}
