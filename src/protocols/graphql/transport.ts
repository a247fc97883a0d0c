import { BaseConnector } from '../../core/connector.js';
import type { ChainLayer } from '../../core/chain.js';
import type { ConnectorEvents } from '../../core/connector-events.js';
import type { TypedEvents } from '../../core/events.js';
import type { CallContext } from '../../core/middleware.js';
import type { HealthStatus, Transport } from '../../core/transport.js';
import type { GraphQLCall, GraphQLOperationCall, GraphQLOutcome, GraphQLSocketCall } from './call.js';
import { classifyGraphQL } from './classify.js';
import type { GraphQLHttpTransport } from './http-transport.js';
import { openSocket, type SocketOptions } from './subscriptions/open-socket.js';

/**
 * The GraphQL connector's transport: operations go over HTTP, socket calls open the
 * subscriptions WebSocket; one classifier judges both for the policies.
 *
 * @example
 * ```ts
 * import { GraphQLTransport, GraphQLHttpTransport, graphqlConnectorConfigSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const cfg = graphqlConnectorConfigSchema.parse({ name: 'shop', protocol: 'graphql', baseUrl: 'http://127.0.0.1:4000' });
 * const redactor = new Redactor();
 * const transport = new GraphQLTransport(new GraphQLHttpTransport(cfg, new TypedEvents(), redactor), { headers: {}, maxPayload: 1_048_576, connectTimeout: 10_000, tls: { rejectUnauthorized: true }, redactor });
 * ```
 */
export class GraphQLTransport implements Transport<GraphQLCall, GraphQLOutcome> {
  constructor(
    private readonly http: GraphQLHttpTransport,
    private readonly socket: SocketOptions,
  ) {}

  open(): Promise<void> {
    return this.http.open();
  }

  close(): Promise<void> {
    return this.http.close();
  }

  readonly send = (ctx: CallContext<GraphQLCall>): Promise<GraphQLOutcome> =>
    ctx.request.kind === 'operation'
      ? this.http.send(ctx as CallContext<GraphQLOperationCall>)
      : openSocket(ctx as CallContext<GraphQLSocketCall>, this.socket);

  readonly classify = classifyGraphQL;
}

/**
 * The lifecycle and policy chain behind a GraphQL connector (single-flight connect,
 * `NOT_CONNECTED` after disconnect, layers composed once). The public connector
 * wraps it so that its `execute` takes GraphQL requests.
 *
 * @example
 * ```ts
 * import { GraphQLChain, type GraphQLTransport } from 'ia-connectors';
 * declare const transport: GraphQLTransport;
 * const chain = new GraphQLChain('shop', transport, [], undefined, async () => ({ ok: true, latencyMs: 0 }));
 * ```
 */
export class GraphQLChain extends BaseConnector<GraphQLCall, GraphQLOutcome> {
  constructor(
    name: string,
    transport: GraphQLTransport,
    layers: readonly ChainLayer<GraphQLCall, GraphQLOutcome>[],
    events: TypedEvents<ConnectorEvents> | undefined,
    private readonly probe: () => Promise<HealthStatus>,
  ) {
    super(name, transport, layers, events);
  }

  healthCheck(): Promise<HealthStatus> {
    return this.probe();
  }
}
