import type { SubscribePayload } from 'graphql-ws';
import type { AuthStrategy } from '../../../auth/strategy.js';
import { ConnectorError } from '../../../core/errors.js';
import type { TypedEvents } from '../../../core/events.js';
import type { Redactor } from '../../../observability/redact.js';
import type { OpenedSocket } from '../call.js';
import type { GraphQLConnectorConfig } from '../config.js';
import type { CredentialWatch } from '../credential-watch.js';
import { prepareDocument, type PreparedDocument } from '../document.js';
import { checkDeclaredVariables } from '../document-errors.js';
import type { GraphQLConnectorEvents } from '../events.js';
import type { GraphQLRequest } from '../request.js';
import { GraphQLExecutionResult, graphqlErrorsError } from '../result.js';
import type { SchemaCheck } from '../schema-check.js';
import type { GraphQLChain } from '../transport.js';
import { normaliseError } from '../wire-result.js';
import { SubscriptionClient } from './client.js';
import { subscriptionError } from './close-errors.js';
import { SubscriptionStream, type GraphQLSubscription } from './stream.js';

/**
 * What a connector hands its {@link Subscriptions}.
 *
 * @example
 * ```ts
 * import type { SubscriptionsContext } from 'ia-connectors';
 * const needsAuth = (ctx: SubscriptionsContext) => ctx.strategy !== undefined;
 * ```
 */
export interface SubscriptionsContext {
  readonly config: GraphQLConnectorConfig;
  /** The HTTP endpoint's path, reused for the derived ws:// URL. */
  readonly path: string;
  readonly chain: GraphQLChain;
  readonly schema: SchemaCheck;
  readonly strategy: AuthStrategy | undefined;
  readonly watch: CredentialWatch;
  readonly events: TypedEvents<GraphQLConnectorEvents>;
  readonly redactor: Redactor;
}

/**
 * A GraphQL connector's subscriptions: checks each document locally, starts it on the
 * shared graphql-ws client once the connector is connected (and the document
 * validated, with `validateSchema`), and turns what the server sends into typed
 * results and errors.
 *
 * @example
 * ```ts
 * import { Subscriptions, type SubscriptionsContext } from 'ia-connectors';
 * declare const ctx: SubscriptionsContext;
 * const subs = new Subscriptions(ctx);
 * for await (const event of subs.start({ query: 'subscription { tick }' })) console.log(event.data);
 * ```
 */
export class Subscriptions {
  readonly #client: SubscriptionClient;
  readonly #shownUrl: string;

  constructor(private readonly ctx: SubscriptionsContext) {
    const { config, strategy, watch } = ctx;
    const settings = config.subscriptions;
    if (!settings) throw Subscriptions.unsupported(config.name);
    const url = settings.url ?? wsUrlFor(config.baseUrl, ctx.path);
    this.#shownUrl = ctx.redactor.url(url);
    const refreshable = strategy?.refresh !== undefined;
    this.#client = new SubscriptionClient({
      connector: config.name,
      url,
      config: settings,
      backoff: config.retry,
      open: (call, signal) => ctx.chain.execute(call, { signal }) as Promise<OpenedSocket>,
      events: ctx.events,
      redactor: ctx.redactor,
      watch,
      canRenew: refreshable,
      recheck:
        strategy && refreshable
          ? async () => {
              const pending = strategy.credentials();
              watch.observe(pending instanceof Promise ? await pending : pending);
            }
          : undefined,
    });
  }

  /**
   * The `UNSUPPORTED` error for a subscription on a connector without WebSocket support.
   *
   * @example
   * ```ts
   * import { Subscriptions } from 'ia-connectors';
   * Subscriptions.unsupported('shop').code; // 'UNSUPPORTED'
   * ```
   */
  static unsupported(connector: string): ConnectorError {
    return new ConnectorError(
      'UNSUPPORTED',
      `connector "${connector}" has no WebSocket support for subscriptions; add subscriptions: {} to its config (or subscriptions: { url: "ws://host/graphql" })`,
      { details: { connector } },
    );
  }

  /** Starts one subscription; see `GraphQLConnector.subscribe`. */
  start<TData>(request: GraphQLRequest<unknown, unknown>): GraphQLSubscription<GraphQLExecutionResult<TData>> {
    const document = prepareDocument(request.query, request.operationName, this.ctx.redactor);
    if (document.kind !== 'subscription') {
      throw new ConnectorError('INVALID_REQUEST', `subscribe() was given a ${document.kind}; use ${document.kind === 'query' ? 'query()' : 'mutation()'} for it`);
    }
    const variables = request.variables as Record<string, unknown> | undefined;
    checkDeclaredVariables(document, variables);
    const settings = this.ctx.config.subscriptions as NonNullable<GraphQLConnectorConfig['subscriptions']>;
    const stream = new SubscriptionStream<GraphQLExecutionResult<TData>>(settings.maxBuffered);
    const signal = request.signal;
    if (signal) {
      const onAbort = (): void => stream.fail(new ConnectorError('ABORTED', 'the subscription was aborted by the caller\'s AbortSignal', { cause: signal.reason }));
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      stream.onEnd(() => signal.removeEventListener('abort', onAbort));
    }
    const payload: SubscribePayload = { query: document.text, variables, operationName: document.operationName, extensions: request.extensions };
    this.#begin(stream, document, payload).catch((error: unknown) => stream.fail(error));
    return stream;
  }

  /** Completes every subscription and closes the connection. */
  close(): Promise<void> {
    return this.#client.close();
  }

  async #begin<TData>(stream: SubscriptionStream<GraphQLExecutionResult<TData>>, document: PreparedDocument, payload: SubscribePayload): Promise<void> {
    const { chain, config, redactor, schema } = this.ctx;
    if (chain.state === 'closed' || chain.state === 'disconnecting') {
      throw new ConnectorError('NOT_CONNECTED', `connector "${config.name}" is closed; call connect() before subscribing again`, { details: { connector: config.name } });
    }
    await chain.connect();
    if (config.validateSchema) await schema.validate(document, payload.variables ?? undefined);
    if (stream.closed) return;
    const context = {
      connector: config.name,
      url: this.#shownUrl,
      operationName: document.operationName,
      authCloseCodes: config.subscriptions?.authCloseCodes ?? [],
      redactor,
    };
    const stop = this.#client.subscribe(payload, {
      next: (value) => {
        const errors = value.errors?.map(normaliseError);
        const result = new GraphQLExecutionResult<TData>(value.data as TData, errors?.length ? errors : undefined, value.extensions as Record<string, unknown> | undefined, document.operationName, redactor);
        if (config.throwOnErrors && !result.ok) stream.fail(graphqlErrorsError(result.errors ?? [], { ...context, data: result.data }));
        else stream.push(result);
      },
      error: (error) => stream.fail(subscriptionError(error, context)),
      complete: () => stream.end(),
    });
    stream.onEnd(stop);
  }
}

/**
 * The graphql-ws URL for an HTTP endpoint: `http` becomes `ws`, `https` becomes `wss`.
 *
 * @example
 * ```ts
 * import { wsUrlFor } from 'ia-connectors';
 * wsUrlFor('https://api.example.com', '/graphql'); // 'wss://api.example.com/graphql'
 * ```
 */
export function wsUrlFor(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${path}`;
}
