import { once } from 'node:events';
import WebSocket from 'ws';
import { missingExports } from '../lib/library.mjs';

/**
 * The message every WebSocket row sends; the server echoes it, and the reply's
 * `id` (stamped per request) says which request it answers.
 *
 * @example
 * ```js
 * import { WS_MESSAGE } from './websocket.mjs';
 * socket.send(JSON.stringify({ ...WS_MESSAGE, id: 1 }));
 * ```
 */
export const WS_MESSAGE = Object.freeze({ op: 'lookup', name: 'Ada Lovelace', email: 'ada@example.com', tags: ['math', 'engines'] });

/**
 * The WebSocket baseline: one `ws` socket and the least a correlated request
 * needs by hand: an id per message, a Map of waiting callers, JSON both ways.
 *
 * @example
 * ```js
 * import { rawWs } from './websocket.mjs';
 * const { call } = await rawWs.create({ wsUrl: 'ws://127.0.0.1:8080' });
 * ```
 */
export const rawWs = {
  key: 'ws',
  label: 'ws, hand-rolled ids (baseline)',
  notes: 'one socket, Map of pending ids',
  async create({ wsUrl }) {
    const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
    await once(socket, 'open');
    const pending = new Map();
    let nextId = 0;
    socket.on('message', (data) => {
      const reply = JSON.parse(data);
      const resolve = pending.get(reply.id);
      if (resolve === undefined) return;
      pending.delete(reply.id);
      resolve(reply);
    });
    const call = () =>
      new Promise((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ ...WS_MESSAGE, id }));
      });
    return {
      call,
      close: async () => {
        socket.close();
        await once(socket, 'close');
      },
    };
  },
};

/**
 * Correlated `request()` through the WebSocket connector: it stamps the id, waits
 * for the reply carrying it, and bounds the wait.
 *
 * @example
 * ```js
 * import { connectorWs } from './websocket.mjs';
 * const { call } = await connectorWs.create({ lib, wsUrl: 'ws://127.0.0.1:8080' });
 * ```
 */
export const connectorWs = {
  key: 'connector',
  label: 'WebSocket connector request()',
  notes: 'id stamped and matched by the connector; default settings',
  unavailable: (lib) => missingExports(lib, ['createWebSocketConnector']),
  async create({ lib, wsUrl }) {
    const api = lib.createWebSocketConnector({ name: 'bench_ws', baseUrl: wsUrl });
    await api.connect();
    const call = () => api.request(WS_MESSAGE);
    return { call, close: () => api.disconnect() };
  },
};
