import { Pool } from 'undici';
import { missingExports } from '../lib/library.mjs';
import { COMMON_HEADERS, GRAPHQL_QUERY, GRAPHQL_VARIABLES } from '../lib/payloads.mjs';
import { readJson } from './http-raw.mjs';
import { fullChainOptions } from './http-connector.mjs';

/**
 * The GraphQL baseline: the same POST the connector sends (`{ query, variables }`
 * as JSON) through undici's `Pool.request`, the result read as JSON.
 *
 * @example
 * ```js
 * import { rawGraphql } from './graphql.mjs';
 * const { call } = await rawGraphql.create({ origin: 'http://127.0.0.1:8080' });
 * ```
 */
export const rawGraphql = {
  key: 'undici',
  label: 'undici POST /graphql (baseline)',
  notes: '64 connections',
  async create({ origin }) {
    const pool = new Pool(origin, { connections: 64 });
    const headers = { ...COMMON_HEADERS, 'content-type': 'application/json' };
    const call = () =>
      pool
        .request({ path: '/graphql', method: 'POST', headers, body: JSON.stringify({ query: GRAPHQL_QUERY, variables: GRAPHQL_VARIABLES }) })
        .then(readJson);
    return { call, close: () => pool.close() };
  },
};

/**
 * A GraphQL query through the GraphQL connector with the full default chain
 * (bearer auth, retry, breaker, rate limit, timeouts).
 *
 * @example
 * ```js
 * import { connectorGraphql } from './graphql.mjs';
 * const { call } = await connectorGraphql.create({ lib, origin: 'http://127.0.0.1:8080' });
 * ```
 */
export const connectorGraphql = {
  key: 'connector-full',
  label: 'GraphQL connector, full chain',
  notes: 'query(document, variables)',
  unavailable: (lib) => missingExports(lib, ['createGraphQLConnector']),
  async create({ lib, origin }) {
    const api = lib.createGraphQLConnector({ ...fullChainOptions(origin, { name: 'bench_graphql' }), endpoint: '/graphql' });
    await api.connect();
    const call = () =>
      api.query(GRAPHQL_QUERY, GRAPHQL_VARIABLES).then((result) => {
        if (!result.data?.user) throw new Error('GraphQL result without data.user');
        return result.data;
      });
    return { call, close: () => api.disconnect() };
  },
};

