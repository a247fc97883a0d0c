import type { LookupFunction } from 'node:net';
import { inspect } from 'node:util';
import type { GraphQLSchema } from 'graphql';
import type { ChainLayer } from '../../core/chain.js';
import type { Connector, ExecuteOptions } from '../../core/connector.js';
import type { ConnectorEvents, ConnectorState } from '../../core/connector-events.js';
import { parseConfig } from '../../core/config.js';
import { isConnectorError } from '../../core/errors.js';
import { TypedEvents, type Disposable } from '../../core/events.js';
import type { HealthStatus } from '../../core/transport.js';
import { createAuthStrategy, unauthorizedStatuses } from '../../auth/create-strategy.js';
import { observerLayers } from '../../observability/layers/observer-layers.js';
import type { Observer } from '../../observability/observer.js';
import { graphqlObservation } from '../../observability/protocols/graphql.js';
import { Redactor } from '../../observability/redact.js';
import { policyLayers } from '../../policies/layers.js';
import { graphqlAuthLayer } from './auth-layer.js';
import type { GraphQLCall, GraphQLOutcome } from './call.js';
import { classifyGraphQL } from './classify.js';
import { graphqlConnectorConfigSchema, type GraphQLConnectorConfig, type GraphQLConnectorOptions } from './config.js';
import { CredentialWatch } from './credential-watch.js';
import type { GraphQLDocument } from './document.js';
import type { GraphQLConnectorEvents } from './events.js';
import { GraphQLHttpTransport } from './http-transport.js';
import { introspect } from './introspect.js';
import { asRequest, type BuiltOperationLike } from './operation-input.js';
import { toOperationCall, type GraphQLCallOptions, type GraphQLRequest } from './request.js';
import type { GraphQLExecutionResult, GraphQLResponse } from './result.js';
import { SchemaCheck } from './schema-check.js';
import { Subscriptions } from './subscriptions/subscriptions.js';
import type { GraphQLSubscription } from './subscriptions/stream.js';
import { GraphQLChain, GraphQLTransport } from './transport.js';

/**
 * Extra pieces a GraphQL connector can be built with, in code.
 *
 * @example
 * ```ts
 * import type { GraphQLConnectorExtras } from 'ia-connectors';
 * const extras: GraphQLConnectorExtras = { layers: [{ name: 'custom', middleware: (ctx, next) => next() }] };
 * ```
 */
export interface GraphQLConnectorExtras {
  /** Your own middleware (slot `custom`); it sees operations and socket opens (`ctx.request.kind`). */
  layers?: ChainLayer<GraphQLCall, GraphQLOutcome>[];
  /** Resolves host names instead of the system resolver. */
  lookup?: LookupFunction;
  /** Watch every operation and socket open (tracing, metrics, logs, the run report); none costs nothing. */
  observers?: readonly Observer[];
}

/**
 * A GraphQL connector: GraphQL over HTTP on the REST transport and graphql-ws
 * subscriptions, both behind the shared policy chain. Documents are parsed (and,
 * with `validateSchema`, validated) locally before anything is sent; queries are
 * retried like idempotent requests, mutations only when declared safe.
 *
 * @example
 * ```ts
 * import { createGraphQLConnector } from 'ia-connectors';
 * await using shop = createGraphQLConnector({ name: 'shop', baseUrl: 'http://127.0.0.1:4000' });
 * const res = await shop.query<{ book: { title: string } | null }>('query Book($id: ID!) { book(id: $id) { title } }', { id: '1' });
 * console.log(res.data?.book?.title, res.errors);
 * ```
 */
export class GraphQLConnector implements Connector<GraphQLRequest, GraphQLResponse> {
  readonly protocol = 'graphql' as const;
  readonly name: string;
  readonly config: GraphQLConnectorConfig;
  /** Hides secrets in URLs, headers and text produced by this connector. */
  readonly redactor = new Redactor();
  readonly events = new TypedEvents<GraphQLConnectorEvents>();
  readonly #chain: GraphQLChain;
  readonly #schema: SchemaCheck;
  readonly #subscriptions: Subscriptions | undefined;

  constructor(config: GraphQLConnectorConfig, extras: GraphQLConnectorExtras = {}) {
    this.name = config.name;
    this.config = config;
    const { redactor } = this;
    // Safe widening: every core event keeps its payload type in GraphQLConnectorEvents.
    const events = this.events as unknown as TypedEvents<ConnectorEvents>;
    const watch = new CredentialWatch();
    const strategy = createAuthStrategy(config.auth, { connector: config.name, redactor, events });
    const http = new GraphQLHttpTransport(config, events, redactor, extras.lookup);
    const layers = [
      ...policyLayers(config, { connector: config.name, events, classify: classifyGraphQL }),
      ...(extras.layers ?? []),
      ...observerLayers<GraphQLCall, GraphQLOutcome>(extras.observers, () =>
        graphqlObservation({ connector: config.name, endpoint: new URL(http.path, config.baseUrl).href, redactor, events }),
      ),
    ];
    if (strategy) layers.push(graphqlAuthLayer(strategy, unauthorizedStatuses(config.auth), watch));
    const socket = {
      headers: { 'user-agent': config.userAgent, ...config.headers },
      maxPayload: config.subscriptions?.maxPayload ?? 10 * 1024 * 1024,
      connectTimeout: config.timeout.connect,
      tls: config.tls,
      redactor,
    };
    this.#chain = new GraphQLChain(config.name, new GraphQLTransport(http, socket), layers, events, () => this.healthCheck());
    this.#schema = new SchemaCheck(() => introspect(this.#chain, redactor), config.schema);
    this.#subscriptions =
      config.subscriptions && new Subscriptions({ config, path: http.path, chain: this.#chain, schema: this.#schema, strategy, watch, events: this.events, redactor });
  }

  /** Current lifecycle state. */
  get state(): ConnectorState {
    return this.#chain.state;
  }

  /** Subscribes to a connector event; dispose the handle to unsubscribe. */
  on<K extends keyof GraphQLConnectorEvents>(event: K, listener: (payload: GraphQLConnectorEvents[K]) => void): Disposable {
    return this.events.on(event, listener);
  }

  /** Opens the HTTP pool and every layer's setup (secrets, keys); concurrent calls share one attempt. */
  connect(): Promise<void> {
    return this.#chain.connect();
  }

  /** Completes every subscription, then closes sockets and layers; safe to call many times. */
  async disconnect(): Promise<void> {
    await this.#subscriptions?.close();
    await this.#chain.disconnect();
  }

  /** Runs a query or mutation through the chain. With `throwOnErrors`, a result with errors throws `GRAPHQL`. */
  async execute<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    request: GraphQLRequest<TData, TVariables>,
    options?: ExecuteOptions,
  ): Promise<GraphQLResponse<TData>> {
    return this.#run<TData>(request, ['query', 'mutation'], options);
  }

  /** Runs a query; `document` may be text, a `DocumentNode`, a `TypedDocumentNode` or a built operation. */
  query<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: GraphQLDocument<TData, TVariables> | BuiltOperationLike,
    variables?: TVariables,
    options?: GraphQLCallOptions,
  ): Promise<GraphQLResponse<TData>> {
    return this.#run<TData>(asRequest(document, variables, options), ['query']);
  }

  /** Runs a mutation; it is not retried unless declared `idempotent` (or `retryMutations` is on). */
  mutation<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: GraphQLDocument<TData, TVariables> | BuiltOperationLike,
    variables?: TVariables,
    options?: GraphQLCallOptions,
  ): Promise<GraphQLResponse<TData>> {
    return this.#run<TData>(asRequest(document, variables, options), ['mutation']);
  }

  /**
   * Starts a subscription over graphql-ws. Problems found locally (no WebSocket support,
   * a syntax error, not a subscription) throw at once; later ones end the iteration.
   */
  subscribe<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: GraphQLDocument<TData, TVariables> | BuiltOperationLike,
    variables?: TVariables,
    options?: Pick<GraphQLCallOptions, 'operationName' | 'extensions' | 'signal'>,
  ): GraphQLSubscription<GraphQLExecutionResult<TData>> {
    if (!this.#subscriptions) throw Subscriptions.unsupported(this.name);
    return this.#subscriptions.start<TData>(asRequest(document, variables, options));
  }

  /** The schema documents are validated against: configured SDL, or introspected once and cached. */
  schema(): Promise<GraphQLSchema> {
    return this.#schema.schema();
  }

  /** Forgets the cached schema (the server was redeployed); the next validation introspects again. */
  refreshSchema(): void {
    this.#schema.reset();
  }

  /** Sends `{ __typename }`; healthy when it answers without errors. Never throws. */
  async healthCheck(): Promise<HealthStatus> {
    const started = performance.now();
    try {
      const call = toOperationCall({ query: '{ __typename }' }, this.config, ['query']);
      const res = (await this.#chain.execute(call, { timeout: this.config.healthCheck.timeout })) as GraphQLResponse;
      const ok = res.ok && typeof (res.data as { __typename?: unknown } | null | undefined)?.__typename === 'string';
      const first = res.errors?.[0];
      return { ok, status: res.status, latencyMs: performance.now() - started, ...(ok || !first ? {} : { error: { code: 'GRAPHQL', message: this.redactor.text(first.message) } }) };
    } catch (error) {
      const { code, message } = isConnectorError(error) ? error : { code: 'NETWORK', message: String(error) };
      return { ok: false, latencyMs: performance.now() - started, error: { code, message: this.redactor.text(message) } };
    }
  }

  /** Same as `disconnect()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.disconnect();
  }

  /** The config with secrets hidden, for logs and `JSON.stringify`. */
  toJSON(): unknown {
    const { schema, ...rest } = this.config;
    return { ...(this.redactor.value(rest) as object), ...(schema === undefined ? {} : { schema: typeof schema === 'string' ? schema : '[GraphQLSchema]' }) };
  }

  /** What `console.log` and `util.inspect` show: the redacted config, never a secret. */
  [inspect.custom](): unknown {
    return { name: this.name, state: this.state, config: this.toJSON() };
  }

  async #run<TData>(request: GraphQLRequest<unknown, unknown>, allowed: readonly ('query' | 'mutation')[], options?: ExecuteOptions): Promise<GraphQLResponse<TData>> {
    const call = toOperationCall(request, this.config, allowed, this.redactor);
    if (this.config.validateSchema) await this.#schema.validate(call.document, call.variables);
    const merged = options ?? (request.signal || request.timeout !== undefined ? { signal: request.signal, timeout: request.timeout } : undefined);
    const response = (await this.#chain.execute(call, merged)) as GraphQLResponse<TData>;
    return this.config.throwOnErrors ? response.throwIfErrors() : response;
  }
}

/**
 * Validates `options` and creates a {@link GraphQLConnector} (`protocol` may be
 * omitted); invalid options throw one `CONFIG` error naming every bad field. The
 * connector connects lazily on first use.
 *
 * @example
 * ```ts
 * import { createGraphQLConnector } from 'ia-connectors';
 * const shop = createGraphQLConnector({ name: 'shop', baseUrl: 'http://127.0.0.1:4000', validateSchema: true, subscriptions: {} });
 * ```
 */
export function createGraphQLConnector(options: GraphQLConnectorOptions, extras?: GraphQLConnectorExtras): GraphQLConnector {
  const name = typeof options?.name === 'string' ? options.name : 'unnamed';
  const input = typeof options === 'object' && options !== null && !('protocol' in options && options.protocol !== undefined) ? { ...options, protocol: 'graphql' } : options;
  return new GraphQLConnector(parseConfig(graphqlConnectorConfigSchema, input, `config of GraphQL connector "${name}"`), extras);
}

/**
 * True when `value` is a GraphQL connector (also across duplicated copies of the package).
 *
 * @example
 * ```ts
 * import { isGraphQLConnector } from 'ia-connectors';
 * declare const c: unknown;
 * if (isGraphQLConnector(c)) await c.query('{ __typename }');
 * ```
 */
export function isGraphQLConnector(value: unknown): value is GraphQLConnector {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { protocol?: unknown }).protocol === 'graphql' &&
    typeof (value as { query?: unknown }).query === 'function' &&
    typeof (value as { subscribe?: unknown }).subscribe === 'function'
  );
}
