import { ConnectorError } from '../../core/errors.js';
import type { QueryParams } from '../../core/types.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;
/** Path characters that need no normalisation: no query, fragment, backslash, space or dot segment tricks. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;
const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * The parts of a base URL computed once at connect, so per-request resolution is cheap.
 *
 * @example
 * ```ts
 * import { prepareBase } from 'ia-connectors';
 * const base = prepareBase('http://127.0.0.1:8080/v1', []);
 * ```
 */
export interface PreparedBase {
  readonly origin: string;
  /** Base path with a trailing slash, e.g. `/v1/`. */
  readonly pathPrefix: string;
  readonly allowedOrigins: ReadonlySet<string>;
}

/**
 * Splits a base URL into its origin and path prefix.
 *
 * @example
 * ```ts
 * import { prepareBase } from 'ia-connectors';
 * prepareBase('https://api.test/v1', []).pathPrefix; // '/v1/'
 * ```
 */
export function prepareBase(baseUrl: string, allowedOrigins: readonly string[]): PreparedBase {
  const url = new URL(baseUrl);
  const pathPrefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return { origin: url.origin, pathPrefix, allowedOrigins: new Set(allowedOrigins.map((o) => new URL(o).origin)) };
}

/**
 * Resolves an endpoint under the base URL: fills `{name}` placeholders with
 * URL-encoded values, appends the query, and refuses an endpoint that would leave the
 * base URL (`//evil.host`, `http://other/`, `../`) unless its origin is allowed.
 *
 * @example
 * ```ts
 * import { prepareBase, resolveUrl } from 'ia-connectors';
 * resolveUrl(prepareBase('https://api.test/v1', []), '/users/{id}', { id: 'a b' }, { tag: ['x', 'y'] });
 * // URL 'https://api.test/v1/users/a%20b?tag=x&tag=y'
 * ```
 */
export function resolveUrl(
  base: PreparedBase,
  endpoint: string,
  params: Record<string, string | number | boolean> | undefined,
  query: QueryParams | undefined,
): URL {
  return new URL(resolveTarget(base, endpoint, params, query).href);
}

/**
 * Where a request goes: origin, path with query, and the full URL.
 *
 * @example
 * ```ts
 * import type { Target } from 'ia-connectors';
 * const t: Target = { origin: 'http://127.0.0.1:8080', path: '/v1/users?page=2', href: 'http://127.0.0.1:8080/v1/users?page=2' };
 * ```
 */
export interface Target {
  readonly origin: string;
  readonly path: string;
  readonly href: string;
}

/**
 * {@link resolveUrl} without building a `URL` object when the endpoint is a plain
 * relative path, which keeps the per-request cost to string work.
 *
 * @example
 * ```ts
 * import { prepareBase, resolveTarget } from 'ia-connectors';
 * resolveTarget(prepareBase('http://127.0.0.1:8080/v1', []), '/users', undefined, { page: 2 }).path; // '/v1/users?page=2'
 * ```
 */
export function resolveTarget(
  base: PreparedBase,
  endpoint: string,
  params: Record<string, string | number | boolean> | undefined,
  query: QueryParams | undefined,
): Target {
  const filled = endpoint.includes('{') ? fillPlaceholders(endpoint, params) : endpoint;
  const absolute = isAbsolute(filled);
  if (!absolute && PLAIN_PATH.test(filled) && !DOT_SEGMENT.test(filled)) {
    const path = base.pathPrefix + (filled.startsWith('/') ? filled.slice(1) : filled) + (query ? queryString(query, '?') : '');
    return { origin: base.origin, path, href: base.origin + path };
  }
  const url = absolute ? absoluteTarget(base, filled, endpoint) : relativeTarget(base, filled, endpoint);
  if (query) url.search = url.search + queryString(query, url.search ? '&' : '?');
  const path = url.pathname + url.search;
  return { origin: url.origin, path, href: url.origin + path };
}

function isAbsolute(endpoint: string): boolean {
  return HAS_SCHEME.test(endpoint) || endpoint.startsWith('//') || endpoint.startsWith('\\') || endpoint.startsWith('/\\');
}

function absoluteTarget(base: PreparedBase, filled: string, endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(filled, base.origin);
  } catch {
    throw new ConnectorError('INVALID_REQUEST', `endpoint "${endpoint}" is not a valid URL or path`);
  }
  if (url.origin !== base.origin && !base.allowedOrigins.has(url.origin)) {
    throw new ConnectorError(
      'UNSAFE_ENDPOINT',
      `endpoint "${endpoint}" points at ${url.origin}, outside the base URL ${base.origin}; use a relative path, or add the origin to allowedOrigins`,
    );
  }
  return url;
}

function relativeTarget(base: PreparedBase, filled: string, endpoint: string): URL {
  const relative = filled.startsWith('/') ? filled.slice(1) : filled;
  let url: URL;
  try {
    url = new URL(base.pathPrefix + relative, base.origin);
  } catch {
    throw new ConnectorError('INVALID_REQUEST', `endpoint "${endpoint}" is not a valid path`);
  }
  // The URL parser has already collapsed "..", "%2e%2e" and friends; what is left must stay under the base path.
  const inside = url.origin === base.origin && (url.pathname === base.pathPrefix.slice(0, -1) || url.pathname.startsWith(base.pathPrefix));
  if (!inside) {
    throw new ConnectorError(
      'UNSAFE_ENDPOINT',
      `endpoint "${endpoint}" resolves to ${url.pathname}, outside the base path ${base.pathPrefix}; remove the ".." segments`,
    );
  }
  return url;
}

function fillPlaceholders(endpoint: string, params: Record<string, string | number | boolean> | undefined): string {
  return endpoint.replace(PLACEHOLDER, (_match, rawName: string) => {
    const name = rawName.trim();
    const value = params?.[name];
    if (value === undefined || value === null) {
      throw new ConnectorError('INVALID_REQUEST', `endpoint "${endpoint}" needs a value for {${name}}; pass it in params: { ${name}: ... }`);
    }
    const text = String(value);
    if (text === '' || text === '.' || text === '..') {
      throw new ConnectorError('INVALID_REQUEST', `path parameter {${name}} may not be "${text}"; it would change the path`);
    }
    return encodeURIComponent(text);
  });
}

function queryString(query: QueryParams, lead: '?' | '&'): string {
  let out = '';
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const name = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const v of value) out += `${out ? '&' : lead}${name}=${encodeURIComponent(String(v))}`;
    } else {
      out += `${out ? '&' : lead}${name}=${encodeURIComponent(String(value))}`;
    }
  }
  return out;
}
