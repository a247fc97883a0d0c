import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** One message as the server received it. */
export interface ReceivedMessage {
  /** Text frames as a string, binary frames as a Buffer. */
  data: string | Buffer;
  binary: boolean;
  /** The parsed JSON of a text frame, or undefined when it is not JSON. */
  json: unknown;
  /** `Date.now()` on arrival. */
  at: number;
  /** Which connection it came on (1, 2, ... in order of connection). */
  socketId: number;
}

/** One opening handshake as the server saw it. */
export interface Handshake {
  /** Path and query, e.g. `/ws?access_token=...`. */
  url: string;
  headers: IncomingHttpHeaders;
  at: number;
  /** The status the server refused with, or 101. */
  status: number;
}

/** What the server does with each message; the default echoes it back. */
export type WsHandler = (message: ReceivedMessage, socket: WebSocket, server: WsTestServer) => void;

/** Options of {@link startWsServer}. */
export interface WsServerOptions {
  /** Listen on this port (to restart a server where a client expects it); default 0. */
  port?: number;
  /** Serve `wss://` with this key and certificate (see `generateTestCertificate`). */
  https?: { key: string; cert: string };
  /** Answer pings (default true); false simulates a peer that stopped answering. */
  autoPong?: boolean;
  /** Refuse a handshake by returning a status (401, 503, ...) and optional headers; undefined accepts. */
  refuse?: (req: IncomingMessage, handshakes: number) => { status: number; headers?: Record<string, string> } | undefined;
  /** The subprotocol to pick from those offered; default: the first. */
  pickProtocol?: (offered: Set<string>) => string | false;
  onMessage?: WsHandler;
  /** Runs when a socket connects, e.g. to start pushing messages. */
  onConnection?: (socket: WebSocket, req: IncomingMessage, server: WsTestServer) => void;
}

/** A real `ws` server on 127.0.0.1 whose behaviour a test scripts. */
export interface WsTestServer {
  /** `ws://127.0.0.1:<port>` (or `wss://`), no trailing slash. */
  readonly url: string;
  /** The same origin as `http://` (or `https://`). */
  readonly httpUrl: string;
  readonly port: number;
  /** Every message received, in order. */
  readonly received: ReceivedMessage[];
  readonly handshakes: Handshake[];
  /** Sockets open now. */
  readonly sockets: ReadonlySet<WebSocket>;
  /** Pings received from clients. */
  readonly pings: number;
  /** Replaces the message handler. */
  onMessage(handler: WsHandler): void;
  /** Sends `data` to every open socket. */
  broadcast(data: string | Buffer): void;
  /** Drops every socket without a close frame (clients see 1006). */
  dropAll(): void;
  /** Closes every socket with `code` and `reason`. */
  closeAll(code: number, reason?: string): void;
  /** Drops every socket and stops listening; idempotent. */
  close(): Promise<void>;
}

/** Echoes every message back as it came. */
export const echo: WsHandler = (message, socket) => socket.send(message.data, { binary: message.binary });

/** Answers `{ id, ... }` with `{ id, result: <the message> }`; other messages are ignored. */
export const rpc: WsHandler = (message, socket) => {
  const json = message.json as Record<string, unknown> | undefined;
  if (json && typeof json === 'object' && 'id' in json) socket.send(JSON.stringify({ id: json['id'], result: json }));
};

/**
 * Starts a `ws` server on 127.0.0.1 (port 0 unless given). Always `close()` it in
 * `afterEach`.
 */
export async function startWsServer(options: WsServerOptions = {}): Promise<WsTestServer> {
  const http: Server = options.https ? createHttpsServer(options.https) : createHttpServer();
  const wss = new WebSocketServer({
    noServer: true,
    autoPong: options.autoPong ?? true,
    handleProtocols: (offered) => (options.pickProtocol ? options.pickProtocol(offered) : (offered.values().next().value ?? false)),
  });
  const received: ReceivedMessage[] = [];
  const handshakes: Handshake[] = [];
  const sockets = new Set<WebSocket>();
  const raw = new Set<Socket>();
  let handler: WsHandler = options.onMessage ?? echo;
  let pings = 0;
  let nextId = 0;
  let closing: Promise<void> | undefined;

  http.on('connection', (socket: Socket) => {
    raw.add(socket);
    socket.once('close', () => raw.delete(socket));
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refusal = options.refuse?.(req, handshakes.length);
    handshakes.push({ url: req.url ?? '', headers: req.headers, at: Date.now(), status: refusal?.status ?? 101 });
    if (refusal) {
      const headers = Object.entries(refusal.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${refusal.status} Refused\r\n${headers}content-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const socketId = ++nextId;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => undefined);
      ws.on('ping', () => pings++);
      ws.on('message', (data: RawData, binary: boolean) => {
        const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        const text = binary ? undefined : buffer.toString('utf8');
        let json: unknown;
        if (text !== undefined) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        const message = { data: text ?? buffer, binary, json, at: Date.now(), socketId };
        received.push(message);
        handler(message, ws, server);
      });
      options.onConnection?.(ws, req, server);
    });
  });

  http.listen(options.port ?? 0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const scheme = options.https ? 'wss' : 'ws';
  const server: WsTestServer = {
    url: `${scheme}://127.0.0.1:${port}`,
    httpUrl: `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    handshakes,
    sockets,
    get pings() {
      return pings;
    },
    onMessage: (next) => {
      handler = next;
    },
    broadcast: (data) => {
      for (const ws of sockets) ws.send(data);
    },
    dropAll: () => {
      for (const ws of sockets) ws.terminate();
    },
    closeAll: (code, reason = '') => {
      for (const ws of sockets) ws.close(code, reason);
    },
    close: () => {
      closing ??= (async () => {
        for (const ws of sockets) ws.terminate();
        for (const socket of raw) socket.destroy();
        wss.close();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closing;
    },
  };
  return server;
}

/** True for an open `ws` socket. */
export function isOpen(socket: WebSocket): boolean {
  return socket.readyState === WebSocket.OPEN;
}
