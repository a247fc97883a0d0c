import { Agent } from 'node:http';
import axios from 'axios';
import { ConsecutiveBreaker, ExponentialBackoff, TimeoutStrategy, circuitBreaker, handleAll, retry, timeout, wrap } from 'cockatiel';
import got from 'got';
import ky from 'ky';
import { Pool } from 'undici';
import { COMMON_HEADERS, ITEM } from '../lib/payloads.mjs';
import { undiciCall } from './http-raw.mjs';

const keepAlive = () => new Agent({ keepAlive: true, maxSockets: 64 });
const JSON_HEADERS = { ...COMMON_HEADERS, 'content-type': 'application/json' };

/**
 * axios with a keep-alive `http.Agent` (64 sockets), its other defaults untouched.
 *
 * @example
 * ```js
 * import { axiosRow } from './http-peers.mjs';
 * const { call, close } = await axiosRow.create({ origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const axiosRow = {
  key: 'axios',
  label: 'axios',
  notes: 'keep-alive agent, 64 sockets',
  async create({ origin, kind }) {
    const agent = keepAlive();
    const client = axios.create({ baseURL: origin, httpAgent: agent, headers: kind === 'get' ? COMMON_HEADERS : JSON_HEADERS });
    const call = kind === 'get' ? () => client.get('/item').then((r) => r.data) : () => client.post('/echo', JSON.stringify(ITEM)).then((r) => r.data);
    return { call, close: async () => agent.destroy() };
  },
};

/**
 * got 14 with a keep-alive agent (64 sockets), its other defaults untouched.
 *
 * @example
 * ```js
 * import { gotRow } from './http-peers.mjs';
 * const { call } = await gotRow.create({ origin: 'http://127.0.0.1:8080', kind: 'post' });
 * ```
 */
export const gotRow = {
  key: 'got',
  label: 'got',
  notes: 'keep-alive agent, 64 sockets',
  async create({ origin, kind }) {
    const agent = keepAlive();
    const client = got.extend({ prefixUrl: origin, agent: { http: agent }, headers: kind === 'get' ? COMMON_HEADERS : JSON_HEADERS });
    const call = kind === 'get' ? () => client.get('item').json() : () => client.post('echo', { body: JSON.stringify(ITEM) }).json();
    return { call, close: async () => agent.destroy() };
  },
};

/**
 * ky 1 on Node's global `fetch`, with its defaults (retry 2, 10 s timeout).
 *
 * @example
 * ```js
 * import { kyRow } from './http-peers.mjs';
 * const { call } = await kyRow.create({ origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const kyRow = {
  key: 'ky',
  label: 'ky',
  notes: 'on global fetch; default retry and timeout',
  async create({ origin, kind }) {
    const client = ky.create({ prefixUrl: origin, headers: kind === 'get' ? COMMON_HEADERS : JSON_HEADERS });
    const call = kind === 'get' ? () => client.get('item').json() : () => client.post('echo', { body: JSON.stringify(ITEM) }).json();
    return { call, close: async () => {} };
  },
};

/**
 * undici `Pool.request` inside cockatiel: retry (3 attempts, exponential backoff),
 * a consecutive breaker (5 failures) and a 10 s cooperative timeout whose
 * `AbortSignal` is handed to undici: the stack people build by hand today.
 *
 * @example
 * ```js
 * import { cockatielRow } from './http-peers.mjs';
 * const { call } = await cockatielRow.create({ origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const cockatielRow = {
  key: 'cockatiel',
  label: 'undici in cockatiel',
  notes: 'retry + breaker + timeout',
  async create({ origin, kind }) {
    const pool = new Pool(origin, { connections: 64 });
    const send = undiciCall(pool, kind);
    const policy = wrap(
      retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
      circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
      timeout(10_000, TimeoutStrategy.Cooperative),
    );
    return { call: () => policy.execute(({ signal }) => send(signal)), close: () => pool.close() };
  },
};

