import { ConnectorError } from '../../core/errors.js';
import type { QueryParams } from '../../core/types.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;
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
  const filled = endpoint.includes('{') ? fillPlaceholders(endpoint, params) : endpoint;
  const url = isAbsolute(filled) ? absoluteTarget(base, filled, endpoint) : relativeTarget(base, filled, endpoint);
  if (query) appendQuery(url, query);
  return url;
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

function appendQuery(url: URL, query: QueryParams): void {
  let search = url.search;
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) search += `${search ? '&' : '?'}${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`;
  }
  url.search = search;
}
