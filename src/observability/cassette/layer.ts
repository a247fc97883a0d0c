import type { ChainLayer } from '../../core/chain.js';
import { ConnectorError } from '../../core/errors.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import type { GraphQLCall, GraphQLOutcome } from '../../protocols/graphql/call.js';
import { cassetteChainLayer, type CassetteRedactor } from './adapter.js';
import type { CassetteProtocol } from './format.js';
import { graphqlCassetteAdapter, type GraphQLCassetteTarget } from './graphql.js';
import { restCassetteAdapter, type RestCassetteTarget } from './rest.js';
import type { Cassette } from './store.js';

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
  /** The connector's options or parsed config: its `name`, `baseUrl` and (REST) `allowedOrigins` or (GraphQL) `endpoint`. */
  connector: { name: string } & RestCassetteTarget & GraphQLCassetteTarget;
  /**
   * The connector's redactor (`connector.redactor`), or a function returning it: values
   * it knows as secrets are hidden in the file. Without it, credential headers, query
   * parameters and fields are still hidden by name.
   */
  redactor?: CassetteRedactor;
}

/**
 * A chain layer named `cassette` that records a connector's calls into the run's
 * {@link Cassette}, or replays them from it with no network. Pass it in the
 * connector's `extras.layers`; the chain puts it innermost, next to the transport, so it
 * sees each attempt as it goes on the wire: retries, breaker and limiter work in a
 * replay as they did when recording.
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
export function cassetteLayer(protocol: CassetteProtocol, options: CassetteLayerOptions): CassetteChainLayer;
export function cassetteLayer(protocol: CassetteProtocol, options: CassetteLayerOptions): CassetteChainLayer {
  const { cassette, connector, redactor } = options;
  const common = { cassette, connector: connector.name, redactor };
  if (protocol === 'rest') return cassetteChainLayer(restCassetteAdapter(connector), common);
  if (protocol === 'graphql') return cassetteChainLayer(graphqlCassetteAdapter(connector), common);
  throw new ConnectorError('CONFIG', `cassettes record rest and graphql connectors, not ${JSON.stringify(protocol)}`);
}

/**
 * The cassette layer of a REST or of a GraphQL connector.
 *
 * @example
 * ```ts
 * import type { CassetteChainLayer } from 'ia-connectors';
 * const name = (layer: CassetteChainLayer) => layer.name; // 'cassette'
 * ```
 */
export type CassetteChainLayer = ChainLayer<ApiRequest, ApiResponse> | ChainLayer<GraphQLCall, GraphQLOutcome>;

/**
 * The cassette layer for a parsed connector config of any protocol, for a registry
 * that builds every connector of a run: REST and GraphQL get one; gRPC and WebSocket
 * connectors get none when recording (they run live and are not stored) and, when
 * replaying, a `CONFIG` error, since their calls cannot come from a cassette.
 *
 * @example
 * ```ts
 * import { Cassette, cassetteLayerFor, connectorConfigSchema } from 'ia-connectors';
 * const config = connectorConfigSchema.parse({ name: 'users', baseUrl: 'http://127.0.0.1:8080' });
 * const layer = cassetteLayerFor(config, { cassette: new Cassette({ dir: 'cassettes', mode: 'record' }) });
 * ```
 */
export function cassetteLayerFor(
  config: { name: string; protocol: string; baseUrl?: string; allowedOrigins?: readonly string[]; endpoint?: string },
  options: Omit<CassetteLayerOptions, 'connector'>,
): CassetteChainLayer | undefined {
  const { protocol, baseUrl } = config;
  if ((protocol === 'rest' || protocol === 'graphql') && typeof baseUrl === 'string') {
    return cassetteLayer(protocol, { ...options, connector: { ...config, baseUrl } });
  }
  if (options.cassette.mode === 'record') return undefined;
  throw new ConnectorError(
    'CONFIG',
    `connector "${config.name}" uses ${protocol}, whose calls cannot be replayed from a cassette (only rest and graphql are recorded); run without --replay, or leave its steps out of the replayed run`,
    { details: { connector: config.name } },
  );
}
