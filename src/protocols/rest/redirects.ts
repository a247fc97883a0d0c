import { ConnectorError } from '../../core/errors.js';
import type { HttpMethod } from '../../core/types.js';
import type { Redactor } from '../../observability/redact.js';
import type { SerializedBody } from './body.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding'];

/**
 * The request to send after a redirect.
 *
 * @example
 * ```ts
 * import type { RedirectHop } from 'ia-connectors';
 * const hop: RedirectHop = { url: new URL('http://127.0.0.1/next'), method: 'GET', headers: {}, body: undefined, crossOrigin: false };
 * ```
 */
export interface RedirectHop {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: SerializedBody['body'];
  crossOrigin: boolean;
}

/**
 * True for the statuses that redirect (301, 302, 303, 307, 308).
 *
 * @example
 * ```ts
 * import { isRedirect } from 'ia-connectors';
 * isRedirect(307); // true
 * ```
 */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * Works out the next hop of a redirect as browsers do (303, and 301/302 after a POST,
 * become a GET without body; 307/308 keep method and body) with two safety rules:
 * credentials (`Authorization`, `Cookie`, and every header the redactor marks
 * sensitive) are dropped when the hop leaves the origin, and https→http is refused.
 *
 * @example
 * ```ts
 * import { nextHop, Redactor } from 'ia-connectors';
 * nextHop(new URL('https://a.test/x'), 302, '/y', 'GET', { authorization: 't' }, { body: undefined, contentType: undefined, replayable: true }, new Redactor());
 * ```
 */
export function nextHop(
  from: URL,
  status: number,
  location: string | string[] | undefined,
  method: HttpMethod,
  headers: Record<string, string>,
  body: SerializedBody,
  redactor: Redactor,
): RedirectHop {
  const target = Array.isArray(location) ? location[0] : location;
  if (!target) throw new ConnectorError('REDIRECT', `${method} ${redactor.url(from.href)} answered ${status} without a Location header`);
  let url: URL;
  try {
    url = new URL(target, from);
  } catch {
    throw new ConnectorError('REDIRECT', `${method} ${redactor.url(from.href)} redirected to an invalid Location`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnectorError('REDIRECT', `refused a redirect to the ${url.protocol} scheme; only http and https are followed`);
  }
  if (from.protocol === 'https:' && url.protocol === 'http:') {
    throw new ConnectorError('REDIRECT', `refused a redirect from https to http (${redactor.url(url.href)}); it would send the request unencrypted`);
  }
  const becomesGet = status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  const keepsBody = !becomesGet && body.body !== undefined;
  if (keepsBody && !body.replayable) {
    throw new ConnectorError('REDIRECT', `cannot follow ${status} to ${redactor.url(url.href)}: the streamed request body can be sent only once`);
  }
  const crossOrigin = url.origin !== from.origin;
  const next: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // Registered credential headers, and any header named like one (a literal x-api-key, say).
    if (crossOrigin && (redactor.isSensitiveHeader(name) || redactor.isSecretName(name))) continue;
    if (becomesGet && BODY_HEADERS.includes(name)) continue;
    if (crossOrigin && name === 'host') continue;
    next[name] = value;
  }
  return { url, method: becomesGet ? 'GET' : method, headers: next, body: keepsBody ? body.body : undefined, crossOrigin };
}
