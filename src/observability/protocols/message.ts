import { Readable } from 'node:stream';
import type { ObservedMessage } from '../observer.js';
import type { Redactor } from '../redact.js';

/**
 * The most of a body an {@link ObservedMessage} keeps, in characters of its JSON or text:
 * enough to debug with, small enough for a report holding thousands of calls.
 *
 * @example
 * ```ts
 * import { MAX_OBSERVED_BODY } from './message.js';
 * MAX_OBSERVED_BODY; // 65536
 * ```
 */
export const MAX_OBSERVED_BODY = 64 * 1024;

/**
 * A redacted, bounded view of a request or response for people: credential headers
 * become `[REDACTED]`, JSON stays JSON (credential-named fields and known secrets
 * hidden) unless it is too big, when it is cut as text and `truncated` is set; bytes
 * and streams are described, not copied.
 *
 * @example
 * ```ts
 * import { Redactor } from '../redact.js';
 * import { observedMessage } from './message.js';
 * observedMessage({ authorization: 'Bearer t' }, { id: 1 }, new Redactor());
 * // { headers: { authorization: '[REDACTED]' }, body: { id: 1 }, truncated: false }
 * ```
 */
export function observedMessage(headers: Readonly<Record<string, unknown>> | undefined, body: unknown, redactor: Redactor): ObservedMessage {
  const shown = observedBody(body, redactor);
  return { ...(headers ? { headers: observedHeaders(headers, redactor) } : {}), ...shown };
}

/**
 * Headers as text with credentials hidden (the redactor's sensitive names, names like
 * `x-api-key` or `x-auth-token`, known secret values): repeated values joined with
 * `, `, bytes described by their size.
 *
 * @example
 * ```ts
 * import { Redactor } from '../redact.js';
 * import { observedHeaders } from './message.js';
 * observedHeaders({ cookie: 'a=1', accept: ['a', 'b'] }, new Redactor()); // { cookie: '[REDACTED]', accept: 'a, b' }
 * ```
 */
export function observedHeaders(headers: Readonly<Record<string, unknown>>, redactor: Redactor): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    text[name] = Array.isArray(value) ? value.map(headerText).join(', ') : headerText(value);
  }
  return redactor.headers(text);
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  return String(value);
}

function observedBody(body: unknown, redactor: Redactor): { body?: unknown; truncated?: boolean } {
  if (body === undefined) return {};
  if (typeof body === 'string') return bounded(redactor.text(body));
  if (body instanceof Uint8Array) return { body: `[${body.byteLength} bytes]`, truncated: false };
  if (body instanceof Readable || isAsyncIterable(body)) return { body: '[stream]', truncated: false };
  if (body instanceof URLSearchParams) return asJson(Object.fromEntries(body), redactor);
  return asJson(body, redactor);
}

function asJson(value: unknown, redactor: Redactor): { body: unknown; truncated: boolean } {
  const redacted = redactor.value(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(redacted, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return { body: '[not serialisable]', truncated: false };
  }
  if (text === undefined || text.length <= MAX_OBSERVED_BODY) return { body: redacted, truncated: false };
  return { body: text.slice(0, MAX_OBSERVED_BODY), truncated: true };
}

function bounded(text: string): { body: string; truncated: boolean } {
  return text.length <= MAX_OBSERVED_BODY ? { body: text, truncated: false } : { body: text.slice(0, MAX_OBSERVED_BODY), truncated: true };
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
