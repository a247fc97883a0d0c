import { Pool } from 'undici';
import { COMMON_HEADERS, ITEM } from '../lib/payloads.mjs';

/**
 * Reads an undici response as JSON and checks its status, the same work every
 * HTTP row does with its answer.
 *
 * @example
 * ```js
 * import { readJson } from './http-raw.mjs';
 * const body = await readJson(await pool.request({ path: '/item', method: 'GET' }));
 * ```
 */
export async function readJson({ statusCode, body }) {
  const data = await body.json();
  if (statusCode !== 200) throw new Error(`unexpected status ${statusCode}`);
  return data;
}

/**
 * A request function for `GET /item` or `POST /echo` with the shared headers on
 * an undici `Pool`, taking an optional `AbortSignal`; the POST body is serialised
 * per call, as every row does.
 *
 * @example
 * ```js
 * import { undiciCall } from './http-raw.mjs';
 * const call = undiciCall(new Pool(origin, { connections: 64 }), 'post');
 * await call();
 * ```
 */
export function undiciCall(pool, kind) {
  if (kind === 'get') {
    return (signal) => pool.request({ path: '/item', method: 'GET', headers: COMMON_HEADERS, signal }).then(readJson);
  }
  const headers = { ...COMMON_HEADERS, 'content-type': 'application/json' };
  return (signal) => pool.request({ path: '/echo', method: 'POST', headers, body: JSON.stringify(ITEM), signal }).then(readJson);
}

/**
 * The baseline: undici's `Pool.request` with 64 keep-alive connections.
 *
 * @example
 * ```js
 * import { rawUndici } from './http-raw.mjs';
 * const { call, close } = await rawUndici.create({ origin: 'http://127.0.0.1:8080', kind: 'get' });
 * ```
 */
export const rawUndici = {
  key: 'undici',
  label: 'undici Pool.request (baseline)',
  notes: '64 connections',
  async create({ origin, kind }) {
    const pool = new Pool(origin, { connections: 64 });
    return { call: undiciCall(pool, kind), close: () => pool.close() };
  },
};

/**
 * Node's global `fetch` (the undici bundled with Node, its default global agent).
 *
 * @example
 * ```js
 * import { globalFetch } from './http-raw.mjs';
 * const { call } = await globalFetch.create({ origin: 'http://127.0.0.1:8080', kind: 'post' });
 * ```
 */
export const globalFetch = {
  key: 'fetch',
  label: 'global fetch',
  notes: `Node's bundled undici`,
  async create({ origin, kind }) {
    const fetch = globalThis.fetch;
    const url = `${origin}${kind === 'get' ? '/item' : '/echo'}`;
    const check = async (res) => {
      const data = await res.json();
      if (res.status !== 200) throw new Error(`unexpected status ${res.status}`);
      return data;
    };
    if (kind === 'get') return { call: () => fetch(url, { headers: COMMON_HEADERS }).then(check), close: async () => {} };
    const headers = { ...COMMON_HEADERS, 'content-type': 'application/json' };
    return { call: () => fetch(url, { method: 'POST', headers, body: JSON.stringify(ITEM) }).then(check), close: async () => {} };
  },
};

