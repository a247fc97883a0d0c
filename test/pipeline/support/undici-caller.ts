import { request } from 'undici';
import { ConnectorError } from '../../../src/core/errors.js';
import type { ApiRequest, ApiResponse, QueryParams } from '../../../src/core/types.js';
import type { ConnectorLookup, RestCaller } from '../../../src/pipeline/index.js';

/**
 * A minimal REST caller over undici for pipeline tests: fills `{name}` placeholders
 * with `encodeURIComponent`, appends the query, sends JSON, parses JSON. An absolute
 * endpoint on another origin is refused, as the real connector does.
 *
 * @example
 * ```ts
 * const caller = createUndiciCaller('http://127.0.0.1:8080');
 * await caller.execute({ method: 'GET', endpoint: '/users/{id}', params: { id: 'ada' } });
 * ```
 */
export function createUndiciCaller(baseUrl: string): RestCaller {
  return {
    async execute(req: ApiRequest, options: { signal?: AbortSignal } = {}): Promise<ApiResponse> {
      const started = performance.now();
      const url = buildUrl(baseUrl, req);
      const response = await request(url, {
        method: req.method,
        headers: { ...req.headers, ...(req.json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: req.json === undefined ? null : JSON.stringify(req.json),
        signal: options.signal ?? null,
      });
      const text = await response.body.text();
      const json = String(response.headers['content-type'] ?? '').includes('json') && text !== '';
      const result: ApiResponse = {
        status: response.statusCode,
        headers: response.headers,
        body: json ? (JSON.parse(text) as unknown) : text,
        ok: response.statusCode >= 200 && response.statusCode < 300,
        url: url.href,
        durationMs: performance.now() - started,
        attempts: 1,
        throwIfNotOk() {
          if (!this.ok) throw new ConnectorError('HTTP_STATUS', `${req.method} ${url.pathname} answered ${this.status}`, { details: { status: this.status } });
          return this;
        },
      };
      return result;
    },
  };
}

/**
 * A {@link ConnectorLookup} over fixed callers; an unknown name throws `UNKNOWN_CONNECTOR`.
 *
 * @example
 * ```ts
 * const lookup = lookupOf({ users_api: createUndiciCaller('http://127.0.0.1:8080') });
 * ```
 */
export function lookupOf(callers: Record<string, RestCaller>): ConnectorLookup {
  return {
    async get(name) {
      const caller = callers[name];
      if (!caller) throw new ConnectorError('UNKNOWN_CONNECTOR', `no connector named "${name}"`);
      return caller;
    },
  };
}

function buildUrl(baseUrl: string, req: ApiRequest): URL {
  const base = new URL(baseUrl);
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(req.endpoint)) {
    url = new URL(req.endpoint);
    // Like the real connector: same origin is trusted (GitHub's next links change path).
    if (url.origin !== base.origin) {
      throw new ConnectorError('UNSAFE_ENDPOINT', `endpoint ${req.endpoint} is outside ${baseUrl}`);
    }
  } else {
    const path = req.endpoint.replace(/\{([^{}]+)\}/g, (_m, name: string) => {
      const value = req.params?.[name];
      if (value === undefined) throw new ConnectorError('INVALID_REQUEST', `no value for {${name}}`);
      return encodeURIComponent(String(value));
    });
    url = new URL(base.href.replace(/\/$/, '') + path);
  }
  appendQuery(url, req.query ?? {});
  return url;
}

function appendQuery(url: URL, query: QueryParams): void {
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
}
