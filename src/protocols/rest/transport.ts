import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, Pool } from 'undici';
import { ConnectorError } from '../../core/errors.js';
import type { TypedEvents } from '../../core/events.js';
import type { ConnectorEvents } from '../../core/connector-events.js';
import type { CallContext } from '../../core/middleware.js';
import type { Transport } from '../../core/transport.js';
import { HTTP_METHODS, type ApiRequest, type ApiResponse, type HttpMethod } from '../../core/types.js';
import type { Redactor } from '../../observability/redact.js';
import { serializeBody, type SerializedBody } from './body.js';
import { classifyRest } from './classify.js';
import type { RestConnectorConfig } from './config.js';
import { decodeBody } from './read-body.js';
import { exchange, type Exchange } from './exchange.js';
import { isRedirect, nextHop } from './redirects.js';
import { RestResponse } from './response.js';
import { prepareBase, resolveTarget, type PreparedBase, type Target } from './url.js';

const METHODS = new Set<string>(HTTP_METHODS);
const NO_BODY_STATUS = new Set([204, 205, 304]);

/**
 * HTTP I/O for the REST connector on an undici keep-alive pool: one attempt per
 * `send`, redirects followed inside the attempt, the body read within its size limit.
 *
 * @example
 * ```ts
 * import { RestTransport, restConnectorConfigSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const cfg = restConnectorConfigSchema.parse({ name: 'a', baseUrl: 'http://127.0.0.1:8080' });
 * const transport = new RestTransport(cfg, new TypedEvents(), new Redactor());
 * ```
 */
export class RestTransport implements Transport<ApiRequest, ApiResponse> {
  readonly #base: PreparedBase;
  readonly #defaultHeaders: Record<string, string>;
  /** Credential headers fixed at connect; added after the request's own headers, so they win. */
  #fixedAuthHeaders: Readonly<Record<string, string>> | undefined;
  /** The headers of a request that adds none of its own, built once; undici only reads them. */
  #plainHeaders: Readonly<Record<string, string>> | undefined;
  #pool: Pool | undefined;
  #agent: Agent | undefined;

  constructor(
    private readonly config: RestConnectorConfig,
    private readonly events: TypedEvents<ConnectorEvents>,
    private readonly redactor: Redactor,
    private readonly lookup?: LookupFunction,
  ) {
    this.#base = prepareBase(config.baseUrl, config.allowedOrigins);
    this.#defaultHeaders = { 'user-agent': config.userAgent, accept: 'application/json, text/plain;q=0.9, */*;q=0.8' };
    for (const [name, value] of Object.entries(config.headers)) this.#defaultHeaders[name.toLowerCase()] = value;
  }

  /**
   * Takes fixed credential headers from a static auth scheme (API key, bearer token,
   * basic) so the auth layer can leave the per-call chain; always accepted.
   */
  useFixedHeaders(headers: Readonly<Record<string, string>>): boolean {
    const lower: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
    this.#fixedAuthHeaders = Object.keys(lower).length > 0 ? lower : undefined;
    this.#plainHeaders = undefined;
    return true;
  }

  async open(): Promise<void> {
    this.#pool ??= new Pool(this.#base.origin, this.#dispatcherOptions());
  }

  async close(): Promise<void> {
    const closing = [this.#pool?.close(), this.#agent?.close()];
    this.#pool = undefined;
    this.#agent = undefined;
    await Promise.all(closing);
  }

  readonly classify = classifyRest;

  readonly send = (ctx: CallContext<ApiRequest>): Promise<ApiResponse> => {
    try {
      const request = ctx.request;
      if (!METHODS.has(request.method)) {
        throw new ConnectorError('INVALID_REQUEST', `unknown method "${String(request.method)}"; use one of ${HTTP_METHODS.join(', ')}`);
      }
      const target = resolveTarget(this.#base, request.endpoint, request.params, request.query);
      const body = serializeBody(request);
      const headers = this.#headers(request, body);
      const method = request.method;
      const url = this.redactor.url(target.href);
      // No async frame unless the server redirects: one callback waits for the answer.
      return this.#dispatch(ctx, target, url, method, headers, body.body).then((data) =>
        this.#redirects(data) ? this.#follow(ctx, target, method, headers, body, data) : this.#respond(ctx, url, method, data),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  };

  #redirects(data: Exchange): boolean {
    return isRedirect(data.statusCode) && this.config.redirect.follow && data.headers.location !== undefined;
  }

  async #follow(
    ctx: CallContext<ApiRequest>,
    target: Target,
    method: HttpMethod,
    headers: Record<string, string>,
    body: SerializedBody,
    data: Exchange,
  ): Promise<ApiResponse> {
    let payload = body.body;
    for (let hops = 0; ; hops++) {
      discard(data.body);
      if (hops >= this.config.redirect.max) {
        throw new ConnectorError('REDIRECT', `${method} ${this.redactor.url(target.href)}: more than ${this.config.redirect.max} redirects; raise redirect.max or fix the loop`);
      }
      const from = new URL(target.href);
      const hop = nextHop(from, data.statusCode, data.headers.location, method, headers, { ...body, body: payload }, this.redactor);
      if (this.events.has('redirect')) {
        const [fromUrl, to] = [this.redactor.url(from.href), this.redactor.url(hop.url.href)];
        this.events.emit('redirect', { connector: ctx.connector, from: fromUrl, to, status: data.statusCode, crossOrigin: hop.crossOrigin });
      }
      target = { origin: hop.url.origin, path: hop.url.pathname + hop.url.search, href: hop.url.href };
      ({ method, headers, body: payload } = hop);
      const url = this.redactor.url(target.href);
      data = await this.#dispatch(ctx, target, url, method, headers, payload);
      if (!this.#redirects(data)) return this.#respond(ctx, url, method, data);
    }
  }

  #dispatch(
    ctx: CallContext<ApiRequest>,
    target: Target,
    url: string,
    method: HttpMethod,
    headers: Record<string, string>,
    body: SerializedBody['body'],
  ): Promise<Exchange> {
    const sameOrigin = target.origin === this.#base.origin;
    const dispatcher = sameOrigin ? this.#pool : (this.#agent ??= new Agent(this.#dispatcherOptions()));
    if (!dispatcher) return Promise.reject(new ConnectorError('NOT_CONNECTED', `connector "${ctx.connector}" is not connected; call connect() first`));
    if (this.events.has('request')) this.events.emit('request', { connector: ctx.connector, attempt: ctx.attempt, method, url });
    return exchange(dispatcher, {
      origin: target.origin,
      path: target.path,
      method,
      headers,
      body,
      signal: ctx.signal,
      stream: ctx.request.responseType === 'stream',
      maxBytes: this.config.maxResponseBytes,
      details: { connector: ctx.connector, method, url },
    });
  }

  #respond(ctx: CallContext<ApiRequest>, redactedUrl: string, method: HttpMethod, data: Exchange): ApiResponse {
    let body: unknown;
    if (method === 'HEAD' || NO_BODY_STATUS.has(data.statusCode)) discard(data.body);
    else if (data.body instanceof Readable) body = data.body;
    else body = decodeBody(data.body, data.headers, responseTypeOf(ctx.request), `${method} ${redactedUrl}`);
    const durationMs = performance.now() - ctx.startedAt;
    if (this.events.has('response')) {
      const status = data.statusCode;
      this.events.emit('response', { connector: ctx.connector, attempt: ctx.attempt, method, url: redactedUrl, status, durationMs });
    }
    return new RestResponse(method, data.statusCode, data.headers, body, redactedUrl, durationMs, ctx.attempt, this.redactor);
  }

  #headers(request: ApiRequest, body: SerializedBody): Record<string, string> {
    // Nothing of the request's own to add: every such call shares one frozen object.
    if (request.headers === undefined && !body.contentType) return (this.#plainHeaders ??= Object.freeze(this.#merge({ ...this.#defaultHeaders })));
    const headers = { ...this.#defaultHeaders };
    if (body.contentType) headers['content-type'] = body.contentType;
    if (request.headers) {
      for (const name of Object.keys(request.headers)) {
        const value = request.headers[name];
        if (typeof value !== 'string') {
          throw new ConnectorError('INVALID_REQUEST', `header "${name}" must be a string; convert it with String(value)`);
        }
        headers[name.toLowerCase()] = value;
      }
    }
    return this.#merge(headers);
  }

  #merge(headers: Record<string, string>): Record<string, string> {
    if (this.#fixedAuthHeaders) Object.assign(headers, this.#fixedAuthHeaders);
    return headers;
  }

  #dispatcherOptions(): Pool.Options {
    const { timeout, tls, connections } = this.config;
    return {
      connections,
      headersTimeout: timeout.headers,
      bodyTimeout: timeout.bodyIdle,
      connect: {
        timeout: timeout.connect,
        rejectUnauthorized: tls.rejectUnauthorized,
        ca: tls.ca,
        servername: tls.servername,
        ...(this.lookup ? { lookup: this.lookup } : {}),
      },
    };
  }
}

function discard(body: Buffer | Readable): void {
  if (body instanceof Readable) body.resume().on('error', () => undefined);
}

function responseTypeOf(request: ApiRequest): 'auto' | 'json' | 'text' | 'bytes' {
  const type = request.responseType;
  return type === undefined || type === 'stream' ? 'auto' : type;
}
