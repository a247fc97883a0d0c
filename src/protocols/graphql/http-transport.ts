import type { LookupFunction } from 'node:net';
import type { ConnectorEvents } from '../../core/connector-events.js';
import { ConnectorError } from '../../core/errors.js';
import type { TypedEvents } from '../../core/events.js';
import type { CallContext } from '../../core/middleware.js';
import type { ApiRequest, ApiResponse, QueryParams } from '../../core/types.js';
import type { Redactor } from '../../observability/redact.js';
import { restConnectorConfigSchema } from '../rest/config.js';
import { retryAfterMs } from '../rest/retry-after.js';
import { RestTransport } from '../rest/transport.js';
import type { GraphQLOperationCall } from './call.js';
import type { GraphQLConnectorConfig } from './config.js';
import { persistedQueryHash, persistedQueryMiss } from './persisted.js';
import { GraphQLResponse } from './result.js';
import { readWireResult } from './wire-result.js';

/** The GraphQL-over-HTTP media type first, plain JSON for servers that predate it. */
const ACCEPT = 'application/graphql-response+json, application/json';
const SNIPPET = 200;

/**
 * GraphQL over HTTP on the REST connector's undici transport: POST JSON (or GET for
 * queries when configured) to one endpoint, both response media types read, and
 * automatic persisted queries (hash first, the full query on `PersistedQueryNotFound`).
 * Pools, redirects, size limits and network errors are the REST transport's.
 *
 * @example
 * ```ts
 * import { GraphQLHttpTransport, graphqlConnectorConfigSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const cfg = graphqlConnectorConfigSchema.parse({ name: 'shop', protocol: 'graphql', baseUrl: 'http://127.0.0.1:4000' });
 * const http = new GraphQLHttpTransport(cfg, new TypedEvents(), new Redactor());
 * ```
 */
export class GraphQLHttpTransport {
  readonly #rest: RestTransport;
  /** Absolute path of the endpoint, e.g. `/api/graphql`. */
  readonly path: string;
  #persisted: boolean;

  constructor(
    config: GraphQLConnectorConfig,
    events: TypedEvents<ConnectorEvents>,
    private readonly redactor: Redactor,
    lookup?: LookupFunction,
  ) {
    const base = new URL(config.baseUrl);
    this.path = endpointPath(base.pathname, config.endpoint);
    const { name, headers, connections, maxResponseBytes, redirect, tls, userAgent, timeout } = config;
    const restConfig = restConnectorConfigSchema.parse({ name, baseUrl: base.origin, headers, connections, maxResponseBytes, redirect, tls, userAgent, timeout });
    this.#rest = new RestTransport(restConfig, events, redactor, lookup);
    this.#persisted = config.persistedQueries;
  }

  open(): Promise<void> {
    return this.#rest.open();
  }

  close(): Promise<void> {
    return this.#rest.close();
  }

  /** Sends one attempt of an operation. */
  async send(ctx: CallContext<GraphQLOperationCall>): Promise<GraphQLResponse> {
    if (!this.#persisted) return this.#exchange(ctx, undefined, true);
    const hash = persistedQueryHash(ctx.request.document);
    const hashed = await this.#exchange(ctx, hash, false);
    const miss = persistedQueryMiss(hashed.errors);
    if (miss === undefined) return hashed;
    // Nothing ran on the server for a miss, so sending the full query is safe even for a mutation.
    if (miss === 'unsupported') this.#persisted = false;
    return this.#exchange(ctx, miss === 'unsupported' ? undefined : hash, true);
  }

  async #exchange(ctx: CallContext<GraphQLOperationCall>, hash: string | undefined, withQuery: boolean): Promise<GraphQLResponse> {
    const request = this.#request(ctx.request, hash, withQuery);
    const response = await this.#rest.send({ ...ctx, request });
    const body = typeof response.body === 'string' || Buffer.isBuffer(response.body) ? parseLoose(String(response.body)) : response.body;
    const wire = readWireResult(body);
    const { status, headers, url, durationMs, attempts } = response;
    if (wire) {
      return new GraphQLResponse(wire.data as Record<string, unknown> | null | undefined, wire.errors, wire.extensions, { status, headers, url, durationMs, attempts }, ctx.request.document.operationName, this.redactor);
    }
    throw this.#noResult(request, response);
  }

  #request(call: GraphQLOperationCall, hash: string | undefined, withQuery: boolean): ApiRequest {
    const extensions = hash ? { ...call.extensions, persistedQuery: { version: 1, sha256Hash: hash } } : call.extensions;
    const query = withQuery ? call.document.text : undefined;
    const operationName = call.document.operationName;
    const headers = { accept: ACCEPT, ...call.headers, ...call.credentials?.headers };
    const authQuery = call.credentials?.query;
    // A hash alone is short enough for a URL; a full query falls back to POST once a hash missed.
    if (call.method === 'GET' && (hash === undefined || !withQuery)) {
      const params: QueryParams = { query, operationName, variables: json(call.variables, 'variables'), extensions: json(extensions, 'extensions'), ...authQuery };
      return { method: 'GET', endpoint: this.path, query: params, headers };
    }
    const request: ApiRequest = { method: 'POST', endpoint: this.path, json: { query, operationName, variables: call.variables, extensions }, headers };
    if (authQuery) request.query = authQuery;
    return request;
  }

  #noResult(request: ApiRequest, response: ApiResponse): ConnectorError {
    const type = String(response.headers['content-type'] ?? 'no content-type');
    const body = snippet(response.body);
    const where = `${request.method} ${response.url}`;
    if (response.status < 200 || response.status >= 300) {
      const hint = response.status === 401 || response.status === 403 ? 'check the auth settings' : response.status >= 500 ? 'the server failed; retry later or configure retry' : 'check baseUrl and endpoint';
      const wait = response.status === 429 || response.status === 503 || response.status === 408 ? retryAfterMs(response.headers) : undefined;
      return new ConnectorError('HTTP_STATUS', `${where} answered ${response.status} (${type}) without a GraphQL result; ${hint}`, {
        retryable: response.status === 408 || response.status === 429 || response.status >= 500,
        details: { status: response.status, url: response.url, body: this.redactor.text(body), ...(wait === undefined ? {} : { retryAfterMs: wait }) },
      });
    }
    return new ConnectorError('INVALID_RESPONSE', `${where} answered ${response.status} (${type}) but the body is not a GraphQL result ({ data, errors }); check that baseUrl and endpoint point at the GraphQL endpoint`, {
      details: { status: response.status, url: response.url, body: this.redactor.text(body) },
    });
  }
}

/**
 * Joins a base URL's path and the endpoint: `('/api/', '/graphql')` → `/api/graphql`;
 * an empty endpoint is the base path itself.
 *
 * @example
 * ```ts
 * import { endpointPath } from 'ia-connectors';
 * endpointPath('/', '/graphql'); // '/graphql'
 * ```
 */
export function endpointPath(basePath: string, endpoint: string): string {
  const prefix = basePath.replace(/\/+$/, '');
  return endpoint === '' ? prefix || '/' : prefix + endpoint;
}

function json(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new ConnectorError('SERIALIZATION', `${what} cannot be serialised as JSON (${error instanceof Error ? error.message : String(error)}); convert BigInt values to strings and remove circular references`, { cause: error });
  }
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function snippet(body: unknown): string {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : (JSON.stringify(body) ?? '');
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}
