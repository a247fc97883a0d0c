import { connectorGraphql, rawGraphql } from '../clients/graphql.mjs';
import { connectorGrpc, rawGrpc } from '../clients/grpc.mjs';
import { connectorBare, connectorBuilder, connectorFull, connectorMinimal } from '../clients/http-connector.mjs';
import { axiosRow, cockatielRow, gotRow, kyRow } from '../clients/http-peers.mjs';
import { globalFetch, rawUndici } from '../clients/http-raw.mjs';
import { connectorWs, rawWs } from '../clients/websocket.mjs';

const HTTP_ROWS = [rawUndici, connectorBare, connectorMinimal, connectorFull, connectorBuilder, globalFetch, axiosRow, gotRow, kyRow, cockatielRow];

/**
 * What the throughput suite measures. Each scenario's first row is its baseline:
 * every other row's ratio is taken against it within the same round. `server`
 * names the server process the scenario loads.
 *
 * @example
 * ```js
 * import { SCENARIOS } from './scenarios.mjs';
 * SCENARIOS.map((s) => s.id); // ['http-get', 'http-post', 'graphql', 'grpc', 'websocket']
 * ```
 */
export const SCENARIOS = [
  { id: 'http-get', title: 'HTTP GET /item (~100-byte JSON)', server: 'http', kind: 'get', concurrencies: [1, 64], rows: HTTP_ROWS },
  { id: 'http-post', title: 'HTTP POST /echo (~100-byte JSON both ways)', server: 'http', kind: 'post', concurrencies: [1, 64], rows: HTTP_ROWS },
  { id: 'graphql', title: 'GraphQL query over HTTP POST', server: 'http', kind: 'graphql', concurrencies: [1, 64], rows: [rawGraphql, connectorGraphql] },
  { id: 'grpc', title: 'gRPC unary echo', server: 'grpc', kind: 'grpc', concurrencies: [1, 64], rows: [rawGrpc, connectorGrpc] },
  { id: 'websocket', title: 'WebSocket correlated request/reply', server: 'ws', kind: 'ws', concurrencies: [1, 100], rows: [rawWs, connectorWs] },
];
