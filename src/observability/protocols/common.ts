import { isConnectorError } from '../../core/errors.js';
import type { ObservedAttributes } from '../../core/observer.js';
import type { ObservedCall, ObservedResult } from '../observer.js';
import type { Redactor } from '../redact.js';

/**
 * `server.address` and `server.port` of a URL, as the semantic conventions want them:
 * the host without IPv6 brackets, and the port the scheme implies when none is written.
 *
 * @example
 * ```ts
 * import { serverAttributes } from './common.js';
 * serverAttributes(new URL('https://api.example.com/v1')); // { 'server.address': 'api.example.com', 'server.port': 443 }
 * ```
 */
export function serverAttributes(url: URL): ObservedAttributes {
  const address = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  return port === undefined ? { 'server.address': address } : { 'server.address': address, 'server.port': port };
}

function defaultPort(protocol: string): number | undefined {
  if (protocol === 'https:' || protocol === 'wss:') return 443;
  if (protocol === 'http:' || protocol === 'ws:') return 80;
  return undefined;
}

/**
 * The path of an endpoint template without its query: what span names and
 * `url.template` carry, so that neither holds values nor grows without bound.
 *
 * @example
 * ```ts
 * import { Redactor } from '../redact.js';
 * import { routeTemplate } from './common.js';
 * routeTemplate('/users/{id}?expand=posts', new Redactor()); // '/users/{id}'
 * ```
 */
export function routeTemplate(endpoint: string, redactor: Redactor): string {
  const cut = endpoint.search(/[?#]/);
  const path = cut < 0 ? endpoint : endpoint.slice(0, cut);
  return redactor.text(path === '' ? '/' : path);
}

/**
 * What a thrown error says to observers: its `ConnectorError` code (or the error's
 * name) as `error.type` and `error.code`, its message redacted, and any protocol
 * status it carries as attributes.
 *
 * @example
 * ```ts
 * import { ConnectorError } from '../../core/errors.js';
 * import { Redactor } from '../redact.js';
 * import { errorResult } from './common.js';
 * errorResult(new ConnectorError('TIMEOUT', 'took too long'), new Redactor()).error; // { code: 'TIMEOUT', message: 'took too long' }
 * ```
 */
export function errorResult(error: unknown, redactor: Redactor, attributes: ObservedAttributes = {}, type?: string): ObservedResult {
  const code = errorCode(error);
  return { ok: false, attributes: { ...attributes, 'error.type': type ?? code }, error: { code, message: redactor.message(error) } };
}

/**
 * The code observers report for a thrown value: a `ConnectorError`'s code, else the error's name.
 *
 * @example
 * ```ts
 * import { errorCode } from './common.js';
 * errorCode(new TypeError('x')); // 'TypeError'
 * ```
 */
export function errorCode(error: unknown): string {
  if (isConnectorError(error)) return error.code;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

/**
 * The HTTP status a thrown error carries (a refused handshake, an `HTTP_STATUS` error), if any.
 *
 * @example
 * ```ts
 * import { ConnectorError } from '../../core/errors.js';
 * import { errorStatus } from './common.js';
 * errorStatus(new ConnectorError('WEBSOCKET', 'refused', { details: { status: 401 } })); // 401
 * ```
 */
export function errorStatus(error: unknown): number | undefined {
  return isConnectorError(error) && typeof error.status === 'number' ? error.status : undefined;
}

/**
 * An {@link ObservedCall} whose attributes are computed on first read: an observer that
 * declines the call (a logger below its level) costs no URL work.
 *
 * @example
 * ```ts
 * import { lazyCall } from './common.js';
 * const call = lazyCall({ connector: 'c', protocol: 'rest', name: 'GET /x', startTime: Date.now() }, () => ({ 'http.request.method': 'GET' }));
 * call.attributes['http.request.method']; // 'GET'
 * ```
 */
export function lazyCall(fixed: Omit<ObservedCall, 'attributes'>, attributes: () => ObservedAttributes): ObservedCall {
  let computed: ObservedAttributes | undefined;
  // Written out rather than spread: an object literal with an accessor stays cheap to build.
  const call: ObservedCall = {
    connector: fixed.connector,
    protocol: fixed.protocol,
    name: fixed.name,
    startTime: fixed.startTime,
    get attributes(): ObservedAttributes {
      return (computed ??= attributes());
    },
  };
  if (fixed.request) call.request = fixed.request;
  return call;
}
