import type { LookupFunction } from 'node:net';
import { inspect } from 'node:util';
import { BaseConnector, type ExecuteOptions } from '../../core/connector.js';
import type { ChainLayer } from '../../core/chain.js';
import { parseConfig } from '../../core/config.js';
import type { HealthStatus } from '../../core/transport.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import { isConnectorError } from '../../core/errors.js';
import { TypedEvents } from '../../core/events.js';
import type { ConnectorEvents } from '../../core/connector-events.js';
import { authLayer } from '../../auth/layer.js';
import { observerLayers } from '../../observability/layers/observer-layers.js';
import type { Observer } from '../../observability/observer.js';
import { restObservation } from '../../observability/protocols/rest.js';
import { Redactor } from '../../observability/redact.js';
import { policyLayers } from '../../policies/layers.js';
import { RequestBuilder, type RequestInit } from './builder.js';
import { restConnectorConfigSchema, type RestConnectorConfig, type RestConnectorOptions } from './config.js';
import { RestTransport } from './transport.js';
import { classifyRest } from './classify.js';
import { idempotencyLayers } from './idempotency.js';

/**
 * Extra pieces a REST connector can be built with.
 *
 * @example
 * ```ts
 * import type { RestConnectorExtras } from 'ia-connectors';
 * const extras: RestConnectorExtras = { layers: [{ name: 'custom', middleware: (ctx, next) => next() }] };
 * ```
 */
export interface RestConnectorExtras {
  /** Your own middleware layers; `custom` layers run inside the policies, outside auth. */
  layers?: ChainLayer<ApiRequest, ApiResponse>[];
  /** Resolves host names instead of the system resolver (e.g. a caching resolver). */
  lookup?: LookupFunction;
  /** Watch every call and attempt (tracing, metrics, logs, the run report); none costs nothing. */
  observers?: readonly Observer[];
}

/**
 * A REST connector: an undici keep-alive pool behind the shared policy chain, with
 * a fluent, immutable request builder per method.
 *
 * @example
 * ```ts
 * import { createRestConnector } from 'ia-connectors';
 * await using users = createRestConnector({ name: 'users', baseUrl: 'http://127.0.0.1:8080/v1' });
 * const res = await users.get('/users/{id}', { params: { id: 'ada' } }).query({ expand: 'posts' }).send();
 * ```
 */
export class RestConnector extends BaseConnector<ApiRequest, ApiResponse> {
  readonly config: RestConnectorConfig;
  /** Hides secrets in URLs, headers and text produced by this connector. */
  readonly redactor: Redactor;

  constructor(config: RestConnectorConfig, extras: RestConnectorExtras = {}) {
    const redactor = new Redactor();
    const events = new TypedEvents<ConnectorEvents>();
    const layers: ChainLayer<ApiRequest, ApiResponse>[] = [
      ...policyLayers(config, { connector: config.name, events, classify: classifyRest }),
      ...idempotencyLayers(config),
      ...(extras.layers ?? []),
      ...observerLayers<ApiRequest, ApiResponse>(extras.observers, () =>
        restObservation({ connector: config.name, baseUrl: config.baseUrl, allowedOrigins: config.allowedOrigins, redactor, events }),
      ),
    ];
    const transport = new RestTransport(config, events, redactor, extras.lookup);
    const auth = authLayer(config.auth, { connector: config.name, redactor, events, useFixedHeaders: (headers) => transport.useFixedHeaders(headers) });
    if (auth) layers.push(auth);
    super(config.name, transport, layers, events);
    this.config = config;
    this.redactor = redactor;
  }

  /** Runs a request through the chain; with `throwHttpErrors`, a non-2xx status throws `HTTP_STATUS`. */
  override execute<T = unknown>(request: ApiRequest, options?: ExecuteOptions): Promise<ApiResponse<T>> {
    const merged = options ?? (request.signal || request.timeout !== undefined ? { signal: request.signal, timeout: request.timeout } : undefined);
    const pending = super.execute(request, merged) as Promise<ApiResponse<T>>;
    return this.config.throwHttpErrors ? pending.then((res) => res.throwIfNotOk()) : pending;
  }

  /** Starts a GET; see {@link RequestBuilder}. */
  get(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'GET', endpoint });
  }
  /** Starts a POST. */
  post(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'POST', endpoint });
  }
  /** Starts a PUT. */
  put(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'PUT', endpoint });
  }
  /** Starts a PATCH. */
  patch(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'PATCH', endpoint });
  }
  /** Starts a DELETE. */
  delete(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'DELETE', endpoint });
  }
  /** Starts a HEAD. */
  head(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'HEAD', endpoint });
  }
  /** Starts an OPTIONS. */
  options(endpoint: string, init?: RequestInit): RequestBuilder {
    return new RequestBuilder(this, { ...init, method: 'OPTIONS', endpoint });
  }

  /** Sends `healthCheck.method` to `healthCheck.path`; healthy below status 400. Never throws. */
  async healthCheck(): Promise<HealthStatus> {
    const { path, method, timeout } = this.config.healthCheck;
    const started = performance.now();
    try {
      const res = await super.execute({ method, endpoint: path, responseType: 'bytes' }, { timeout });
      return { ok: res.status < 400, status: res.status, latencyMs: performance.now() - started };
    } catch (error) {
      const { code, message } = isConnectorError(error) ? error : { code: 'NETWORK', message: String(error) };
      return { ok: false, latencyMs: performance.now() - started, error: { code, message: this.redactor.text(message) } };
    }
  }

  /** The config with secrets hidden, for logs and `JSON.stringify`. */
  toJSON(): unknown {
    return this.redactor.value(this.config);
  }

  /** What `console.log` and `util.inspect` show: the redacted config, never a secret. */
  [inspect.custom](): unknown {
    return { name: this.name, state: this.state, config: this.toJSON() };
  }
}

/**
 * Validates `options` and creates a {@link RestConnector}; invalid options throw one
 * `CONFIG` error listing every bad field with its path and the fix. The connector
 * connects lazily on its first call, or explicitly with `connect()`.
 *
 * @example
 * ```ts
 * import { createRestConnector } from 'ia-connectors';
 * const api = createRestConnector({ name: 'api', baseUrl: 'http://127.0.0.1:8080', timeout: { total: 10_000 } });
 * const { body } = await api.post('/items').json({ name: 'x' }).send();
 * ```
 */
export function createRestConnector(options: RestConnectorOptions, extras?: RestConnectorExtras): RestConnector {
  const name = typeof options?.name === 'string' ? options.name : 'unnamed';
  return new RestConnector(parseConfig(restConnectorConfigSchema, options, `config of REST connector "${name}"`), extras);
}
