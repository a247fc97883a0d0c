import { ConnectorError } from '../../core/errors.js';

/**
 * The socket URL for a base URL and an endpoint: `http` becomes `ws`, `https`
 * becomes `wss`, the endpoint's path is appended to the base path and both
 * queries are kept.
 *
 * @example
 * ```ts
 * import { socketUrl } from 'ia-connectors';
 * socketUrl('https://api.test/v1', '/stream?room=1').href; // 'wss://api.test/v1/stream?room=1'
 * ```
 */
export function socketUrl(baseUrl: string, endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new ConnectorError('CONFIG', `baseUrl: "${baseUrl}" is not an absolute URL; write it as "wss://stream.example.com"`, { cause: error });
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConnectorError('CONFIG', `baseUrl: scheme "${url.protocol}" is not supported; use ws://, wss://, http:// or https://`);
  }
  if (endpoint === '') return url;
  const queryAt = endpoint.indexOf('?');
  const path = queryAt < 0 ? endpoint : endpoint.slice(0, queryAt);
  const base = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  url.pathname = `${base}${path}`;
  if (queryAt >= 0) {
    for (const [name, value] of new URLSearchParams(endpoint.slice(queryAt + 1))) url.searchParams.append(name, value);
  }
  return url;
}

/**
 * A copy of `url` with `query` parameters set (replacing any of the same name).
 *
 * @example
 * ```ts
 * import { withQuery } from 'ia-connectors';
 * withQuery('ws://127.0.0.1:8080/ws', { access_token: 't' }); // 'ws://127.0.0.1:8080/ws?access_token=t'
 * ```
 */
export function withQuery(url: string, query: Readonly<Record<string, string>> | undefined): string {
  if (query === undefined) return url;
  const names = Object.keys(query);
  if (names.length === 0) return url;
  const copy = new URL(url);
  for (const name of names) copy.searchParams.set(name, query[name] as string);
  return copy.href;
}
