import { Readable } from 'node:stream';
import { ConnectorError } from '../../core/errors.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import { serializeBody } from '../../protocols/rest/body.js';
import { RestResponse } from '../../protocols/rest/response.js';
import { prepareBase, resolveTarget } from '../../protocols/rest/url.js';
import type { Redactor } from '../redact.js';
import type { CassetteAdapter, PreparedRequest } from './adapter.js';
import type { RecordedBody } from './format.js';
import { paramsObject, roundMs, sortedJson } from './json.js';
import { namedSecrets, recordedBody, recordedJson, recordedHeaders, recordedParams, redactedBytes } from './redaction.js';
import { absoluteUrl, replayedBody, relativeUrl } from './bodies.js';

/**
 * Where a REST connector sends its requests, as in its config: requests are stored by
 * their path relative to `baseUrl`.
 *
 * @example
 * ```ts
 * import type { RestCassetteTarget } from 'ia-connectors';
 * const t: RestCassetteTarget = { baseUrl: 'http://127.0.0.1:8080/v1', allowedOrigins: [] };
 * ```
 */
export interface RestCassetteTarget {
  baseUrl: string;
  allowedOrigins?: readonly string[];
}

/**
 * The cassette's view of REST: a request is stored as method, path relative to the
 * base URL (placeholders filled and encoded), query sorted by name and body (JSON with
 * sorted keys, form fields, text or base64); a response as status, headers, body and
 * duration, and rebuilt as a real {@link RestResponse} with `throwIfNotOk()`.
 *
 * @example
 * ```ts
 * import { restCassetteAdapter } from 'ia-connectors';
 * const rest = restCassetteAdapter({ baseUrl: 'http://127.0.0.1:8080/v1' });
 * ```
 */
export function restCassetteAdapter(target: RestCassetteTarget): CassetteAdapter<ApiRequest, ApiResponse> {
  const base = prepareBase(target.baseUrl, target.allowedOrigins ?? []);
  return {
    protocol: 'rest',
    baseUrl: target.baseUrl,
    view: {
      describe: (r) => `${String(r['method'])} ${String(r['path'])}${queryText(r['query'])}${r['body'] === undefined ? '' : ' with a body'}`,
      sameEndpoint: (a, b) => a['method'] === b['method'] && a['path'] === b['path'],
    },
    secretsOf(request, redactor) {
      const cut = request.endpoint.indexOf('?');
      const inline = cut < 0 ? undefined : new URLSearchParams(request.endpoint.slice(cut + 1));
      return namedSecrets({ params: [request.query, inline], fields: [request.json, request.form], headers: [request.headers] }, redactor);
    },
    prepare(request, redactor) {
      const { origin, path: full, href } = resolveTarget(base, request.endpoint, request.params, request.query);
      const cut = full.indexOf('?');
      const pathname = cut < 0 ? full : full.slice(0, cut);
      const underBase = origin === base.origin && `${pathname}/`.startsWith(base.pathPrefix);
      const path = underBase ? `/${pathname.slice(base.pathPrefix.length)}` : origin + pathname;
      const query = cut < 0 ? {} : recordedParams(paramsObject(new URLSearchParams(full.slice(cut + 1))), redactor);
      const body = requestBody(request, redactor);
      const key = { method: request.method, path: redactor.text(path), ...(Object.keys(query).length > 0 ? { query } : {}), ...(body ? { body } : {}) };
      return { key, url: redactor.url(href) };
    },
    async capture(response, ctx, prepared, redactor) {
      let value = response;
      let body: unknown = response.body;
      const method = response instanceof RestResponse ? response.method : ctx.request.method;
      if (body instanceof Readable) {
        body = await readAll(body);
        value = new RestResponse(method, response.status, response.headers, Readable.from([body]), response.url, response.durationMs, response.attempts, redactor);
      }
      const finalUrl = redactor.url(response.url);
      const contentType = response.headers['content-type'];
      const stored = recordedBody(body, typeof contentType === 'string' ? contentType : undefined, redactor);
      return {
        value,
        stored: {
          status: response.status,
          ...(method === ctx.request.method ? {} : { method }),
          ...(finalUrl === prepared.url ? {} : { url: relativeUrl(finalUrl, base.origin) }),
          headers: recordedHeaders(response.headers, redactor),
          ...(stored ? { body: stored } : {}),
          durationMs: roundMs(response.durationMs),
        },
      };
    },
    rebuild(stored, ctx, prepared: PreparedRequest, redactor) {
      const body = replayedBody(stored['body'] as RecordedBody | undefined, ctx.request.responseType);
      const url = typeof stored['url'] === 'string' ? absoluteUrl(stored['url'], base.origin) : prepared.url;
      const method = typeof stored['method'] === 'string' ? stored['method'] : ctx.request.method;
      return new RestResponse(method, stored.status, structuredClone(stored.headers), body, url, stored.durationMs, ctx.attempt, redactor);
    },
    notReplayed: () => new ConnectorError('UNSUPPORTED', 'this REST request cannot be replayed from a cassette'),
  };
}

function requestBody(request: ApiRequest, redactor: Redactor): RecordedBody | undefined {
  const { body } = serializeBody(request);
  if (body === undefined) return undefined;
  if (request.json !== undefined) return { json: recordedJson(sortedJson(JSON.parse(body as string)), redactor) };
  if (request.form !== undefined) return { form: recordedParams(paramsObject(new URLSearchParams(body as string)), redactor) };
  if (typeof body === 'string') return { text: redactor.text(body) };
  if (body instanceof Uint8Array) return { base64: redactedBytes(body, redactor).toString('base64') };
  return { stream: true };
}

function queryText(query: unknown): string {
  if (query === null || typeof query !== 'object') return '';
  const pairs = Object.entries(query as Record<string, string | string[]>).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`));
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
