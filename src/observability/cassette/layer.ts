import type { ChainLayer } from '../../core/chain.js';
import { ConnectorError } from '../../core/errors.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import type { GraphQLCall, GraphQLOutcome } from '../../protocols/graphql/call.js';
import type { GrpcCallHookLayer } from '../../protocols/grpc/call-hook.js';
import { parseGrpcTarget } from '../../protocols/grpc/target.js';
import type { WebSocketMessageHookLayer } from '../../protocols/websocket/message-hook.js';
import { socketUrl } from '../../protocols/websocket/url.js';
import { cassetteChainLayer, type CassetteRedactor } from './adapter.js';
import type { CassetteProtocol } from './format.js';
import { graphqlCassetteAdapter } from './graphql.js';
import { grpcCassetteLayer } from './grpc.js';
import { restCassetteAdapter } from './rest.js';
import type { Cassette } from './store.js';
import { websocketCassetteLayer } from './websocket.js';

/**
 * What a cassette layer reads of a connector's options or parsed config: its `name`,
 * and by protocol `baseUrl` and `allowedOrigins` (REST), `baseUrl` and `endpoint`
 * (GraphQL, WebSocket), `target` or `baseUrl` and `tls` (gRPC), `correlation.field`
 * (WebSocket).
 *
 * @example
 * ```ts
 * import type { CassetteConnector } from 'ia-connectors';
 * const c: CassetteConnector = { name: 'catalog', target: '127.0.0.1:50051', tls: false };
 * ```
 */
export interface CassetteConnector {
  name: string;
  baseUrl?: string | undefined;
  allowedOrigins?: readonly string[] | undefined;
  endpoint?: string | undefined;
  target?: string | undefined;
  tls?: unknown;
  correlation?: { field?: string | undefined } | undefined;
}

/**
 * Options of {@link cassetteLayer}.
 *
 * @example
 * ```ts
 * import { Cassette, type CassetteLayerOptions } from 'ia-connectors';
 * const o: CassetteLayerOptions = { cassette: new Cassette({ dir: 'cassettes', mode: 'record' }), connector: { name: 'users', baseUrl: 'http://127.0.0.1:8080' } };
 * ```
 */
export interface CassetteLayerOptions {
  /** The run's cassette, shared by all its connectors. */
  cassette: Cassette;
  /** The connector's options or parsed config. */
  connector: CassetteConnector;
  /**
   * The connector's redactor (`connector.redactor`), or a function returning it: values
   * it knows as secrets are hidden in the file. Without it, credential headers, query
   * parameters and fields are still hidden by name.
   */
  redactor?: CassetteRedactor;
}

/**
 * The cassette layer of a connector of any protocol.
 *
 * @example
 * ```ts
 * import type { CassetteChainLayer } from 'ia-connectors';
 * const name = (layer: CassetteChainLayer) => layer.name; // 'cassette'
 * ```
 */
export type CassetteChainLayer = ChainLayer<ApiRequest, ApiResponse> | ChainLayer<GraphQLCall, GraphQLOutcome> | GrpcCallHookLayer | WebSocketMessageHookLayer;

/**
 * A layer named `cassette` that records a connector's calls into the run's
 * {@link Cassette}, or replays them from it with no network. Pass it in the connector's
 * `extras.layers`. For REST and GraphQL the chain puts it innermost, next to the
 * transport, so it sees each attempt as it goes on the wire: retries, breaker and
 * limiter work in a replay as they did when recording. A gRPC connector hands it each
 * call once the method is known (replaying, it opens no channel); a WebSocket connector
 * hands it its messages (replaying, it opens no socket).
 *
 * @example
 * ```ts
 * import { Cassette, cassetteLayer, createGraphQLConnector } from 'ia-connectors';
 * const cassette = new Cassette({ dir: 'cassettes/demo', mode: 'replay' });
 * const options = { name: 'books', baseUrl: 'http://127.0.0.1:4012' };
 * const books = createGraphQLConnector(options, { layers: [cassetteLayer('graphql', { cassette, connector: options, redactor: () => books.redactor })] });
 * ```
 */
export function cassetteLayer(protocol: 'rest', options: CassetteLayerOptions): ChainLayer<ApiRequest, ApiResponse>;
export function cassetteLayer(protocol: 'graphql', options: CassetteLayerOptions): ChainLayer<GraphQLCall, GraphQLOutcome>;
export function cassetteLayer(protocol: 'grpc', options: CassetteLayerOptions): GrpcCallHookLayer;
export function cassetteLayer(protocol: 'websocket', options: CassetteLayerOptions): WebSocketMessageHookLayer;
export function cassetteLayer(protocol: CassetteProtocol, options: CassetteLayerOptions): CassetteChainLayer;
export function cassetteLayer(protocol: CassetteProtocol, options: CassetteLayerOptions): CassetteChainLayer {
  const { cassette, connector, redactor } = options;
  const common = { cassette, connector: connector.name, redactor };
  switch (protocol) {
    case 'rest':
      return cassetteChainLayer(restCassetteAdapter({ ...connector, baseUrl: baseUrlOf(connector, protocol) }), common);
    case 'graphql':
      return cassetteChainLayer(graphqlCassetteAdapter({ ...connector, baseUrl: baseUrlOf(connector, protocol) }), common);
    case 'grpc':
      return grpcCassetteLayer({ ...common, target: grpcTarget(connector) });
    case 'websocket':
      return websocketCassetteLayer({ ...common, url: socketUrl(baseUrlOf(connector, protocol), connector.endpoint ?? '').href, correlationField: connector.correlation?.field });
    default:
      throw new ConnectorError('CONFIG', `cassettes record rest, graphql, grpc and websocket connectors, not ${JSON.stringify(protocol)}`);
  }
}

/**
 * The cassette layer for a parsed connector config of any protocol, for a registry
 * that builds every connector of a run and passes the layer in the connector's
 * `extras.layers`. `undefined` for a protocol cassettes do not know.
 *
 * @example
 * ```ts
 * import { Cassette, cassetteLayerFor, connectorConfigSchema } from 'ia-connectors';
 * const config = connectorConfigSchema.parse({ name: 'users', baseUrl: 'http://127.0.0.1:8080' });
 * const layer = cassetteLayerFor(config, { cassette: new Cassette({ dir: 'cassettes', mode: 'record' }) });
 * ```
 */
export function cassetteLayerFor(config: CassetteConnector & { protocol: string }, options: Omit<CassetteLayerOptions, 'connector'>): CassetteChainLayer | undefined {
  const { protocol } = config;
  if (protocol !== 'rest' && protocol !== 'graphql' && protocol !== 'grpc' && protocol !== 'websocket') return undefined;
  return cassetteLayer(protocol, { ...options, connector: config });
}

function baseUrlOf(connector: CassetteConnector, protocol: CassetteProtocol): string {
  if (typeof connector.baseUrl === 'string') return connector.baseUrl;
  throw new ConnectorError('CONFIG', `connector "${connector.name}": a ${protocol} cassette needs the connector's baseUrl`, { details: { connector: connector.name } });
}

/** The address as the connector shows it (`grpc://host:port`), for readers of the file. */
function grpcTarget(connector: CassetteConnector): string {
  const written = connector.target ?? connector.baseUrl ?? '';
  const parsed = parseGrpcTarget(written, connector.target !== undefined ? 'target' : 'baseUrl');
  if (!parsed.ok) return written;
  const tls = typeof connector.tls === 'boolean' ? connector.tls : connector.tls !== undefined ? true : (parsed.target.tls ?? true);
  return parsed.target.display ?? `${tls ? 'grpcs' : 'grpc'}://${parsed.target.address}`;
}
