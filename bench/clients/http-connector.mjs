import { BENCH_TOKEN, ITEM } from '../lib/payloads.mjs';

const AUTHORIZATION = { authorization: `Bearer ${BENCH_TOKEN}` };

/**
 * The full default chain: bearer auth, retry (3 attempts), a consecutive circuit
 * breaker, a rate limit far above any load here, and attempt and total timeouts.
 *
 * @example
 * ```js
 * import { fullChainOptions } from './http-connector.mjs';
 * lib.createRestConnector(fullChainOptions('http://127.0.0.1:8080'));
 * ```
 */
export function fullChainOptions(baseUrl, extra = {}) {
  return {
    name: 'bench_full',
    baseUrl,
    auth: { type: 'bearer', token: BENCH_TOKEN },
    retry: { maxAttempts: 3 },
    circuitBreaker: { threshold: 5, openDuration: 30_000 },
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    timeout: { attempt: 10_000, total: 30_000 },
    ...extra,
  };
}

/**
 * A REST connector with no policy layer at all. The config always carries a total
 * timeout (leaving `timeout.total` out gives the 60 s default), so this builds the
 * connector from a parsed config with `timeout.total` removed; the row's note says so.
 *
 * @example
 * ```js
 * import { bareConnector } from './http-connector.mjs';
 * const api = bareConnector(lib, 'http://127.0.0.1:8080');
 * ```
 */
export function bareConnector(lib, baseUrl) {
  return lib.createRestConnector({ name: 'bench_bare', baseUrl, retry: { maxAttempts: 1 }, timeout: { total: false }, headers: AUTHORIZATION });
}

function executeCall(connector, kind) {
  const request = kind === 'get' ? { method: 'GET', endpoint: '/item' } : undefined;
  const check = (res) => {
    if (res.status !== 200) throw new Error(`unexpected status ${res.status}`);
    return res.body;
  };
  if (request) return () => connector.execute(request).then(check);
  return () => connector.execute({ method: 'POST', endpoint: '/echo', json: ITEM }).then(check);
}

async function connected(connector, call) {
  await connector.connect();
  return { call, close: () => connector.disconnect() };
}

/**
 * The REST connector with no policies: transport, response parsing and the chain
 * machinery only.
 *
 * @example
 * ```js
 * import { connectorBare } from './http-connector.mjs';
 * const { call } = await connectorBare.create({ lib, origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const connectorBare = {
  key: 'connector-bare',
  label: 'connector, no policies',
  notes: 'retry off; timeout: { total: false }',
  async create({ lib, origin, kind }) {
    const api = bareConnector(lib, origin);
    return connected(api, executeCall(api, kind));
  },
};

/**
 * The least the config allows: retry off, the default 60 s total timeout kept.
 *
 * @example
 * ```js
 * import { connectorMinimal } from './http-connector.mjs';
 * const { call } = await connectorMinimal.create({ lib, origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const connectorMinimal = {
  key: 'connector-min',
  label: 'connector, retry off',
  notes: 'default total timeout (60 s) only',
  async create({ lib, origin, kind }) {
    const api = lib.createRestConnector({ name: 'bench_min', baseUrl: origin, retry: { maxAttempts: 1 }, headers: AUTHORIZATION });
    return connected(api, executeCall(api, kind));
  },
};

/**
 * The REST connector with the full default chain, called with `execute()`.
 *
 * @example
 * ```js
 * import { connectorFull } from './http-connector.mjs';
 * const { call } = await connectorFull.create({ lib, origin: 'http://127.0.0.1:8080', kind: 'post' });
 * ```
 */
export const connectorFull = {
  key: 'connector-full',
  label: 'connector, full chain',
  notes: 'bearer, retry, breaker, rate limit, attempt + total timeout',
  async create({ lib, origin, kind }) {
    const api = lib.createRestConnector(fullChainOptions(origin));
    return connected(api, executeCall(api, kind));
  },
};

/**
 * The full chain again, each request built with the fluent, immutable builder.
 *
 * @example
 * ```js
 * import { connectorBuilder } from './http-connector.mjs';
 * const { call } = await connectorBuilder.create({ lib, origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const connectorBuilder = {
  key: 'builder',
  label: 'fluent builder, full chain',
  notes: 'api.get(...).send() / api.post(...).json(...).send()',
  async create({ lib, origin, kind }) {
    const api = lib.createRestConnector(fullChainOptions(origin, { name: 'bench_builder' }));
    const check = (res) => {
      if (res.status !== 200) throw new Error(`unexpected status ${res.status}`);
      return res.body;
    };
    const call = kind === 'get' ? () => api.get('/item').send().then(check) : () => api.post('/echo').json(ITEM).send().then(check);
    return connected(api, call);
  },
};
