/**
 * What every benchmark row sends and receives, so that rows differ only in the
 * client that carries the bytes.
 */

/**
 * The ~100-byte JSON document the HTTP server answers `GET /item` with, and the
 * body every POST sends (the server echoes it back).
 *
 * @example
 * ```js
 * import { ITEM } from './payloads.mjs';
 * JSON.stringify(ITEM).length; // about 100
 * ```
 */
export const ITEM = Object.freeze({ id: 42, name: 'Ada Lovelace', email: 'ada@example.com', active: true, tags: ['math', 'engines'] });

/**
 * A bearer token used only against the local benchmark servers.
 *
 * @example
 * ```js
 * import { BENCH_TOKEN } from './payloads.mjs';
 * const authorization = `Bearer ${BENCH_TOKEN}`;
 * ```
 */
export const BENCH_TOKEN = 'bench-token-not-a-secret';

/**
 * The headers the REST connector sends by default plus a bearer token; every HTTP
 * row sends exactly these (the report names any a client adds on its own).
 *
 * @example
 * ```js
 * import { COMMON_HEADERS } from './payloads.mjs';
 * pool.request({ path: '/item', method: 'GET', headers: COMMON_HEADERS });
 * ```
 */
export const COMMON_HEADERS = Object.freeze({
  'user-agent': 'ia-connectors',
  accept: 'application/json, text/plain;q=0.9, */*;q=0.8',
  authorization: `Bearer ${BENCH_TOKEN}`,
});

/**
 * The GraphQL query every GraphQL row sends, with its variables.
 *
 * @example
 * ```js
 * import { GRAPHQL_QUERY, GRAPHQL_VARIABLES } from './payloads.mjs';
 * JSON.stringify({ query: GRAPHQL_QUERY, variables: GRAPHQL_VARIABLES });
 * ```
 */
export const GRAPHQL_QUERY = 'query User($id: ID!) { user(id: $id) { id name email } }';

/**
 * The variables sent with {@link GRAPHQL_QUERY}.
 *
 * @example
 * ```js
 * import { GRAPHQL_VARIABLES } from './payloads.mjs';
 * GRAPHQL_VARIABLES.id; // '42'
 * ```
 */
export const GRAPHQL_VARIABLES = Object.freeze({ id: '42' });

/**
 * The answer the HTTP server gives to every `POST /graphql`.
 *
 * @example
 * ```js
 * import { GRAPHQL_RESULT } from './payloads.mjs';
 * GRAPHQL_RESULT.data.user.name; // 'Ada Lovelace'
 * ```
 */
export const GRAPHQL_RESULT = Object.freeze({ data: { user: { id: '42', name: 'Ada Lovelace', email: 'ada@example.com' } } });
