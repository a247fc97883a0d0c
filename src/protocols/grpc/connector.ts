import { inspect } from 'node:util';
import type { ServiceClientConstructor, ServiceDefinition } from '@grpc/grpc-js';
import { createAuthStrategy, unauthorizedStatuses } from '../../auth/create-strategy.js';
import { BaseConnector, type ExecuteOptions } from '../../core/connector.js';
import type { ChainLayer } from '../../core/chain.js';
import { parseConfig } from '../../core/config.js';
import type { ConnectorEvents } from '../../core/connector-events.js';
import { ConnectorError } from '../../core/errors.js';
import { TypedEvents } from '../../core/events.js';
import type { HealthStatus } from '../../core/transport.js';
import { observerLayers } from '../../observability/layers/observer-layers.js';
import type { Observer } from '../../observability/observer.js';
import { grpcObservation } from '../../observability/protocols/grpc.js';
import { REDACTED, Redactor } from '../../observability/redact.js';
import { policyLayers } from '../../policies/layers.js';
import { grpcAuthLayer } from './auth.js';
import { grpcCallHookOf } from './call-hook.js';
import { grpcConnectorConfigSchema, type GrpcConnectorConfig, type GrpcConnectorOptions } from './config.js';
import { healthFrom, HEALTH_CHECK_METHOD } from './health.js';
import { GrpcTransport } from './transport.js';
import type {
  GrpcCall,
  GrpcClientStreamRequest,
  GrpcDuplex,
  GrpcMethodInfo,
  GrpcRequest,
  GrpcResponse,
  GrpcResult,
  GrpcServerStream,
  GrpcStreamRequest,
} from './types.js';

/**
 * Extra pieces a gRPC connector can be built with, in code.
 *
 * @example
 * ```ts
 * import type { GrpcConnectorExtras } from 'ia-connectors';
 * const extras: GrpcConnectorExtras = { layers: [{ name: 'custom', middleware: (ctx, next) => next() }] };
 * ```
 */
export interface GrpcConnectorExtras {
  /**
   * Your own middleware; `custom` layers run inside the policies, outside auth. A layer
   * carrying a `grpcCallHook` (a cassette layer does) also stands between the connector
   * and its channel (`GrpcCallHookLayer`).
   */
  layers?: ChainLayer<GrpcCall, GrpcResult>[];
  /**
   * A generated client class (from `grpc.loadPackageDefinition(...)` or grpc-tools) or
   * its service definition, used instead of `protoFiles`. Its methods are called with
   * its own serializers; requests are not checked before sending.
   */
  client?: ServiceClientConstructor | ServiceDefinition;
  /** Watch every call and stream opening (tracing, metrics, logs, the run report); none costs nothing. */
  observers?: readonly Observer[];
}

/**
 * A gRPC connector: one `@grpc/grpc-js` channel behind the shared policy chain. Call
 * methods by name with plain objects, no code generation needed: `execute()` for
 * unary calls, `serverStream()`, `clientStream()` and `bidiStream()` for streams (the
 * chain guards the opening of a stream; the stream itself then runs on its own).
 *
 * @example
 * ```ts
 * import { createGrpcConnector } from 'ia-connectors';
 * await using greeter = createGrpcConnector({ name: 'greeter', target: '127.0.0.1:50051', tls: false, protoFiles: ['greeter.proto'] });
 * const res = await greeter.execute({ method: 'SayHello', request: { name: 'ada' } });
 * console.log(res.body, res.trailers);
 * ```
 */
export class GrpcConnector extends BaseConnector<GrpcCall, GrpcResult> {
  readonly protocol = 'grpc';
  readonly config: GrpcConnectorConfig;
  /** Hides secrets in metadata, errors and events produced by this connector. */
  readonly redactor: Redactor;
  readonly #transport: GrpcTransport;

  constructor(config: GrpcConnectorConfig, extras: GrpcConnectorExtras = {}) {
    const definition = extras.client === undefined ? undefined : 'service' in extras.client && typeof extras.client === 'function' ? extras.client.service : (extras.client as ServiceDefinition);
    if (!config.protoFiles && !config.reflection && !definition) {
      throw new ConnectorError('CONFIG', `gRPC connector "${config.name}" does not know its services: set protoFiles (the .proto files), or reflection: true to ask the server`);
    }
    const redactor = new Redactor();
    const events = new TypedEvents<ConnectorEvents>();
    const strategy = createAuthStrategy(config.auth, { connector: config.name, redactor, events });
    const transport = new GrpcTransport(config, events, redactor, strategy, definition, grpcCallHookOf(extras.layers));
    const layers: ChainLayer<GrpcCall, GrpcResult>[] = [
      ...policyLayers(config, { connector: config.name, events, classify: transport.classify }),
      ...(extras.layers ?? []),
      ...observerLayers<GrpcCall, GrpcResult>(extras.observers, () =>
        grpcObservation({ connector: config.name, target: transport.target, redactor, events, describe: (method) => transport.method(method) }),
      ),
    ];
    if (strategy) layers.push(grpcAuthLayer(strategy, unauthorizedStatuses(config.auth).length > 0));
    super(config.name, transport, layers, events);
    this.config = config;
    this.redactor = redactor;
    this.#transport = transport;
  }

  /** The address dialled, e.g. `grpcs://api.example.com:443`. */
  get target(): string {
    return this.#transport.target;
  }

  /** One unary call through the chain; a non-OK status throws a `ConnectorError` with `grpcCode`. */
  override execute<T = unknown>(request: GrpcRequest | GrpcCall, options?: ExecuteOptions): Promise<GrpcResponse<T>> {
    try {
      const call = typeof request === 'object' && request !== null && 'kind' in request ? this.#checked(request) : this.#call('unary', request);
      return super.execute(call, options ?? this.#options(request)) as Promise<GrpcResponse<T>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Opens a server stream; retry, breaker, rate limit and auth apply to the opening. */
  async serverStream<T = unknown>(request: GrpcRequest, options?: ExecuteOptions): Promise<GrpcServerStream<T>> {
    const stream = (await super.execute(this.#call('serverStream', request), options ?? this.#options(request))) as GrpcServerStream<T> & { follow(signal?: AbortSignal): unknown };
    stream.follow(options?.signal ?? request.signal);
    return stream;
  }

  /** A client-streaming call: sends every message of `request.messages`, resolves with the single reply. */
  clientStream<T = unknown, Req = Record<string, unknown>>(request: GrpcClientStreamRequest<Req>, options?: ExecuteOptions): Promise<GrpcResponse<T>> {
    try {
      return super.execute(this.#call('clientStream', request), options ?? this.#options(request)) as Promise<GrpcResponse<T>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Opens a bidirectional stream once the channel is connected. */
  async bidiStream<Req = Record<string, unknown>, Res = unknown>(request: GrpcStreamRequest, options?: ExecuteOptions): Promise<GrpcDuplex<Req, Res>> {
    const duplex = (await super.execute(this.#call('bidi', request), options ?? this.#options(request))) as GrpcDuplex<Req, Res> & { follow(signal?: AbortSignal): unknown };
    duplex.follow(options?.signal ?? request.signal);
    return duplex;
  }

  /** What the connector knows about a method (connecting first if needed); `PROTO` when there is no such method. */
  async describeMethod(name: string): Promise<GrpcMethodInfo> {
    if (this.state === 'closed' || this.state === 'disconnecting') {
      throw new ConnectorError('NOT_CONNECTED', `connector "${this.name}" is closed; call connect() before using it again`, { details: { connector: this.name } });
    }
    await this.connect();
    const { path, service, name: method, kind, idempotent, requestType, responseType } = this.#transport.method(name);
    return { path, service, name: method, kind, idempotent, requestType, responseType };
  }

  /**
   * Calls `grpc.health.v1.Health/Check` for `healthCheck.service` (else `service`, else
   * the whole server); healthy when `SERVING`. A server without the health service is
   * judged by whether its channel connects. Never throws.
   */
  async healthCheck(): Promise<HealthStatus> {
    const service = this.config.healthCheck.service ?? this.config.service ?? '';
    const timeoutMs = this.config.healthCheck.timeout;
    const started = performance.now();
    let outcome: { ok: true; value: { status?: unknown } } | { ok: false; error: unknown };
    try {
      const res = await super.execute({ kind: 'unary', method: HEALTH_CHECK_METHOD, request: { service } }, { timeout: timeoutMs });
      outcome = { ok: true, value: (res as GrpcResponse<{ status?: unknown }>).body };
    } catch (error) {
      outcome = { ok: false, error };
    }
    return healthFrom(outcome, { client: this.#transport.client, service, timeoutMs, started, target: this.target, redactor: this.redactor });
  }

  /** The config with secrets hidden (an inline TLS private key included), for logs and `JSON.stringify`. */
  toJSON(): unknown {
    const { tls } = this.config;
    const shown = typeof tls === 'object' && tls.key !== undefined && tls.key.includes('-----BEGIN') ? { ...this.config, tls: { ...tls, key: REDACTED } } : this.config;
    return this.redactor.value(shown);
  }

  /** What `console.log` and `util.inspect` show: the redacted config, never a secret. */
  [inspect.custom](): unknown {
    return { name: this.name, state: this.state, config: this.toJSON() };
  }

  #call(kind: GrpcCall['kind'], request: GrpcRequest | GrpcStreamRequest | GrpcClientStreamRequest<unknown>): GrpcCall {
    if (typeof request !== 'object' || request === null || typeof request.method !== 'string' || request.method === '') {
      throw new ConnectorError('INVALID_REQUEST', `a gRPC call needs a method name, e.g. { method: "SayHello", request: { ... } }`);
    }
    const timeout = callTimeout(request);
    return {
      kind,
      method: request.method,
      ...('request' in request ? { request: request.request } : {}),
      ...('messages' in request ? { messages: request.messages } : {}),
      metadata: request.metadata,
      ...(kind === 'serverStream' || kind === 'bidi' ? { timeout } : {}),
    };
  }

  #checked(call: GrpcCall): GrpcCall {
    if (typeof call.method !== 'string' || call.method === '') this.#call(call.kind, call as GrpcRequest);
    return call;
  }

  #options(request: GrpcRequest | GrpcStreamRequest): ExecuteOptions | undefined {
    const timeout = callTimeout(request);
    return request.signal || timeout !== undefined ? { signal: request.signal, timeout } : undefined;
  }
}

/** The nearer of a request's `timeout` and `deadline`, in milliseconds from now. */
function callTimeout(request: GrpcRequest | GrpcStreamRequest): number | undefined {
  const untilDeadline = request.deadline instanceof Date ? Math.max(1, request.deadline.getTime() - Date.now()) : undefined;
  if (request.deadline !== undefined && untilDeadline === undefined) {
    throw new ConnectorError('INVALID_REQUEST', 'deadline: must be a Date, e.g. new Date(Date.now() + 5000); for a duration use timeout');
  }
  if (untilDeadline === undefined) return request.timeout;
  return request.timeout === undefined ? untilDeadline : Math.min(request.timeout, untilDeadline);
}

/**
 * True when `value` is a gRPC connector (also across duplicated copies of the package).
 *
 * @example
 * ```ts
 * import { isGrpcConnector } from 'ia-connectors';
 * declare const c: unknown;
 * if (isGrpcConnector(c)) await c.execute({ method: 'SayHello', request: { name: 'ada' } });
 * ```
 */
export function isGrpcConnector(value: unknown): value is GrpcConnector {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { protocol?: unknown }).protocol === 'grpc' &&
    typeof (value as { serverStream?: unknown }).serverStream === 'function' &&
    typeof (value as { describeMethod?: unknown }).describeMethod === 'function'
  );
}

/**
 * Validates `options` and creates a {@link GrpcConnector}; invalid options throw one
 * `CONFIG` error listing every bad field with its path and the fix. The connector
 * connects lazily on its first call, or explicitly with `connect()`.
 *
 * @example
 * ```ts
 * import { createGrpcConnector } from 'ia-connectors';
 * const catalog = createGrpcConnector({ name: 'catalog', baseUrl: 'grpc://127.0.0.1:50051', reflection: true });
 * for await (const product of await catalog.serverStream({ method: 'ListProducts', request: { region: 'eu' } })) console.log(product);
 * ```
 */
export function createGrpcConnector(options: GrpcConnectorOptions, extras?: GrpcConnectorExtras): GrpcConnector {
  const name = typeof options?.name === 'string' ? options.name : 'unnamed';
  const input = typeof options === 'object' && options !== null && !('protocol' in options) ? { ...options, protocol: 'grpc' } : options;
  return new GrpcConnector(parseConfig(grpcConnectorConfigSchema, input, `config of gRPC connector "${name}"`), extras);
}
