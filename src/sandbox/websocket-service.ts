import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const MAX_PAYLOAD = 1024 * 1024;
const MAX_TICKS = 1000;

/**
 * Options of {@link startWebSocketService}; all optional.
 *
 * @example
 * ```ts
 * import type { WebSocketServiceOptions } from 'ia-connectors';
 * const o: WebSocketServiceOptions = { port: 4013, tickIntervalMs: 100, token: 'demo-token-123' };
 * ```
 */
export interface WebSocketServiceOptions {
  /** Port on 127.0.0.1. @default 0 (a random free port) */
  port?: number;
  /** Default pause between ticker messages. @default 200 */
  tickIntervalMs?: number;
  /** When set, the handshake needs `Authorization: Bearer <token>` or `?access_token=<token>` (401 otherwise). */
  token?: string;
}

/**
 * A running sandbox WebSocket service.
 *
 * @example
 * ```ts
 * import { startWebSocketService } from 'ia-connectors';
 * const svc = await startWebSocketService();
 * console.log(svc.url); // ws://127.0.0.1:<port>
 * await svc.close();
 * ```
 */
export interface WebSocketService {
  /** `ws://127.0.0.1:<port>`; the endpoints are `/ws` and `/echo`. */
  readonly url: string;
  readonly port: number;
  /** Sockets connected now. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Starts the sandbox WebSocket service on 127.0.0.1. `/echo` sends every message
 * back. `/ws` speaks JSON: `{ id, method, params }` is answered with `{ id, result }`
 * (methods `echo`, `add`, `upper`) or `{ id, error }`; `{ type: 'subscribe', topic,
 * count?, interval_ms? }` starts a ticker (`subscribed`, then `tick` messages with a
 * `seq` and a deterministic `price`, then `done`); `{ type: 'unsubscribe', topic }`
 * stops it. Nothing leaves the loopback interface.
 *
 * @example
 * ```ts
 * import { startWebSocketService, createWebSocketConnector } from 'ia-connectors';
 * const svc = await startWebSocketService();
 * const feed = createWebSocketConnector({ name: 'market', baseUrl: svc.url, endpoint: '/ws' });
 * await feed.request({ method: 'add', params: [1, 2] }); // { id: 1, result: 3 }
 * await feed.close();
 * await svc.close();
 * ```
 */
export async function startWebSocketService(options: WebSocketServiceOptions = {}): Promise<WebSocketService> {
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'application/json', upgrade: 'websocket' });
    res.end(JSON.stringify({ service: 'ia-connectors sandbox WebSocket', endpoints: ['/ws', '/echo'] }));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const raw = new Set<Socket>();
  http.on('connection', (socket: Socket) => {
    raw.add(socket);
    socket.once('close', () => raw.delete(socket));
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const refusal = url.pathname !== '/ws' && url.pathname !== '/echo' ? '404 Not Found' : authorized(req, url, options.token) ? undefined : '401 Unauthorized';
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => (url.pathname === '/echo' ? serveEcho(ws) : serveJson(ws, options.tickIntervalMs ?? 200)));
  });
  http.listen(options.port ?? 0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    get connections() {
      return wss.clients.size;
    },
    close: () =>
      (closing ??= (async () => {
        for (const ws of wss.clients) ws.terminate();
        for (const socket of raw) socket.destroy();
        wss.close();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })()),
  };
}

function authorized(req: IncomingMessage, url: URL, token: string | undefined): boolean {
  if (token === undefined) return true;
  return req.headers.authorization === `Bearer ${token}` || url.searchParams.get('access_token') === token;
}

function serveEcho(ws: WebSocket): void {
  ws.on('error', () => undefined);
  ws.on('message', (data: RawData, binary: boolean) => ws.send(data, { binary }));
}

function serveJson(ws: WebSocket, tickIntervalMs: number): void {
  const tickers = new Map<string, NodeJS.Timeout>();
  const send = (value: unknown): void => ws.send(JSON.stringify(value));
  ws.on('error', () => undefined);
  ws.on('close', () => {
    for (const timer of tickers.values()) clearInterval(timer);
    tickers.clear();
  });
  ws.on('message', (data: RawData, binary: boolean) => {
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = binary ? undefined : JSON.parse(data.toString());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      message = parsed as Record<string, unknown>;
    } catch {
      send({ type: 'error', error: 'messages on /ws must be JSON objects, e.g. {"id":1,"method":"add","params":[1,2]}' });
      return;
    }
    if ('method' in message) send(answer(message));
    else if (message['type'] === 'subscribe') subscribe(message, tickers, send, tickIntervalMs);
    else if (message['type'] === 'unsubscribe') {
      const topic = String(message['topic'] ?? 'ticker');
      clearInterval(tickers.get(topic));
      tickers.delete(topic);
      send({ type: 'unsubscribed', topic });
    } else send({ type: 'echo', data: message });
  });
}

function answer(message: Record<string, unknown>): Record<string, unknown> {
  const { id, method, params } = message;
  const list = Array.isArray(params) ? params : [];
  switch (method) {
    case 'echo':
      return { id, result: params ?? null };
    case 'add':
      if (!list.every((n) => typeof n === 'number')) return { id, error: { code: 'INVALID_PARAMS', message: 'add takes a list of numbers' } };
      return { id, result: (list as number[]).reduce((a, b) => a + b, 0) };
    case 'upper':
      return { id, result: String(list[0] ?? '').toUpperCase() };
    default:
      return { id, error: { code: 'UNKNOWN_METHOD', message: `unknown method ${JSON.stringify(method)}; use echo, add or upper` } };
  }
}

function subscribe(message: Record<string, unknown>, tickers: Map<string, NodeJS.Timeout>, send: (value: unknown) => void, defaultInterval: number): void {
  const topic = String(message['topic'] ?? 'ticker');
  const count = Math.min(MAX_TICKS, Math.max(1, Number(message['count'] ?? 10) || 10));
  const interval = Math.min(10_000, Math.max(10, Number(message['interval_ms'] ?? defaultInterval) || defaultInterval));
  clearInterval(tickers.get(topic));
  send({ type: 'subscribed', topic, count, interval_ms: interval });
  let seq = 0;
  const timer = setInterval(() => {
    seq++;
    send({ type: 'tick', topic, seq, price: priceAt(seq) });
    if (seq >= count) {
      clearInterval(timer);
      tickers.delete(topic);
      send({ type: 'done', topic, ticks: seq });
    }
  }, interval);
  tickers.set(topic, timer);
}

/** A deterministic price walk, so demo output is the same on every run. */
function priceAt(seq: number): number {
  return Math.round((100 + 5 * Math.sin(seq / 3) + seq * 0.1) * 100) / 100;
}
