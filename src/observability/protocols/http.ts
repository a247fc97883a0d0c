import type { ObservedAttributes } from '../../core/observer.js';
import type { ObservedMessage, ObservedResult } from '../observer.js';
import type { Redactor } from '../redact.js';
import { errorResult, errorStatus } from './common.js';

/**
 * How an HTTP response ends a call or attempt: `http.response.status_code`, and from
 * 400 on `ok: false` with `error.type` set to the status, as the HTTP semantic
 * conventions say.
 *
 * @example
 * ```ts
 * import { httpResult } from './http.js';
 * httpResult(503, 'GET /users/{id}').error; // { code: 'HTTP_STATUS', message: 'GET /users/{id} answered 503' }
 * ```
 */
export function httpResult(status: number, label: string, response?: () => ObservedMessage): ObservedResult {
  const lazy = response ? { response } : {};
  if (status < 400) return { ok: true, attributes: { 'http.response.status_code': status }, ...lazy };
  return {
    ok: false,
    attributes: { 'http.response.status_code': status, 'error.type': String(status) },
    error: { code: 'HTTP_STATUS', message: `${label} answered ${status}` },
    ...lazy,
  };
}

/**
 * How a thrown error ends an HTTP call or attempt; a status it carries (a refused
 * upgrade, `throwHttpErrors`) is kept as `http.response.status_code`.
 *
 * @example
 * ```ts
 * import { Redactor } from '../redact.js';
 * import { httpFailure } from './http.js';
 * httpFailure(new Error('socket hang up'), new Redactor()).attributes; // { 'error.type': 'Error' }
 * ```
 */
export function httpFailure(error: unknown, redactor: Redactor): ObservedResult {
  const status = errorStatus(error);
  const attributes: ObservedAttributes = status === undefined ? {} : { 'http.response.status_code': status };
  return errorResult(error, redactor, attributes);
}

/**
 * Attributes of an HTTP attempt: from the second on, `http.request.resend_count`.
 *
 * @example
 * ```ts
 * import { resendAttributes } from './http.js';
 * resendAttributes(3); // { 'http.request.resend_count': 2 }
 * ```
 */
export function resendAttributes(attempt: number): ObservedAttributes {
  return attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {};
}

/**
 * A copy of `headers` with `extra` added; names are compared without case, so a
 * caller's `Traceparent` is replaced rather than sent twice.
 *
 * @example
 * ```ts
 * import { withHeaders } from './http.js';
 * withHeaders({ Traceparent: 'old', accept: 'x' }, { traceparent: 'new' }); // { accept: 'x', traceparent: 'new' }
 * ```
 */
export function withHeaders(headers: Readonly<Record<string, string>> | undefined, extra: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const [name, value] of Object.entries(headers)) if (!Object.hasOwn(extra, name.toLowerCase())) out[name] = value;
  return Object.assign(out, extra);
}
