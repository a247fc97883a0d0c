import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { send } from './respond.js';
import { createRouteTable } from './route-table.js';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received, e.g. `/users?page=2`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The whole request body (empty when there was none, partial if the client gave up mid-body). */
  body: Buffer;
  /** `Date.now()` when the request arrived, so it follows fake timers that fake `Date`. */
  at: number;
  /** Identifies the connection the request came on: equal ids mean a reused keep-alive socket. */
  socketId: number;
}

/**
 * What the server does with a matched request. It runs after the whole body has
 * been read. A throw or rejection answers 500 (or drops the socket if headers
 * were already sent).
 */
export type Behaviour = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { body: Buffer; server: ScriptedServer; socketId: number },
) => void | Promise<void>;

/** A real HTTP(S) server on 127.0.0.1 whose answers a test scripts per route. */
export interface ScriptedServer {
  /** e.g. `http://127.0.0.1:54321` or `https://…`, no trailing slash. */
  readonly url: string;
  /** Same as {@link ScriptedServer.url}. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order; cleared in place by `reset()`. */
  readonly requests: RecordedRequest[];
  /** Connections currently open (for https: connections past the TLS handshake). */
  readonly openSockets: number;
  /** Connections ever accepted (for https: connections past the TLS handshake). */
  readonly totalSockets: number;
  /**
   * Answers `method` (case-insensitive, `'*'` for any) on `path`: an exact
   * pathname, or a prefix when it ends with `*`. The most recently added
   * matching route wins, so a test can override a route set in `beforeEach`.
   * An array is a sequence: the n-th matching request uses the n-th behaviour
   * and the last one repeats.
   */
  route(method: string, path: string, behaviour: Behaviour | Behaviour[]): this;
  /** Clears routes and recorded requests; open connections stay open. */
  reset(): void;
  /** Destroys every open socket and stops listening; idempotent. */
  close(): Promise<void>;
}

/** Options for {@link startServer}. */
export interface StartServerOptions {
  /** Serve HTTPS with this key and certificate (see `generateTestCertificate`). */
  https?: { key: string; cert: string };
}

/**
 * Starts a scripted server on 127.0.0.1, port 0. Unrouted requests get
 * 404 `{ "error": "no route" }`. Always `close()` it in `afterEach`/`afterAll`.
 *
 * @example
 * ```ts
 * const server = await startServer();
 * server.route('GET', '/users', json(200, [{ id: 1 }]));
 * ```
 */
export async function startServer(options: StartServerOptions = {}): Promise<ScriptedServer> {
  const routes = createRouteTable<Behaviour>();
  const requests: RecordedRequest[] = [];
  const socketIds = new WeakMap<Socket, number>();
  const rawSockets = new Set<Socket>();
  const openSockets = new Set<Socket>();
  let totalSockets = 0;
  let closing: Promise<void> | undefined;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => void handle(req, res);
  const server: Server = options.https
    ? createHttpsServer({ key: options.https.key, cert: options.https.cert }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 5_000;

  // Raw TCP sockets are tracked apart so close() also kills TLS handshakes in flight.
  server.on('connection', (socket: Socket) => {
    rawSockets.add(socket);
    socket.once('close', () => rawSockets.delete(socket));
  });
  // Requests arrive on the TLSSocket for https, not on the raw socket.
  server.on(options.https ? 'secureConnection' : 'connection', (socket: Socket) => {
    totalSockets += 1;
    socketIds.set(socket, totalSockets);
    openSockets.add(socket);
    socket.once('close', () => openSockets.delete(socket));
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening'); // rejects if 'error' comes first
  const { port } = server.address() as AddressInfo;
  const url = `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`;

  const scripted: ScriptedServer = {
    url,
    origin: url,
    port,
    requests,
    get openSockets() {
      return openSockets.size;
    },
    get totalSockets() {
      return totalSockets;
    },
    route(method, path, behaviour) {
      routes.add(method, path, Array.isArray(behaviour) ? behaviour : [behaviour]);
      return this;
    },
    reset() {
      routes.clear();
      requests.length = 0;
    },
    close() {
      closing ??= closeAll();
      return closing;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const socketId = socketIds.get(req.socket) ?? 0;
    const chunks: Buffer[] = [];
    let complete = true;
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      complete = false;
    }
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at, socketId });
    if (!complete) return;

    const behaviour = routes.next(req.method ?? '', req.url ?? '/');
    if (!behaviour) return sendJson(res, 404, { error: 'no route' });
    try {
      await behaviour(req, res, { body, server: scripted, socketId });
    } catch (error) {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'behaviour failed', message: String(error) });
    }
  }

  async function closeAll(): Promise<void> {
    // Waits for each socket's 'close' too: the server reports closed a tick
    // before its sockets do, and a test may check openSockets right after.
    const sockets = [...rawSockets, ...openSockets];
    const closed = Promise.all([
      new Promise<void>((resolve) => server.close(() => resolve())),
      ...sockets.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))),
    ]);
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  return scripted;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, { 'content-type': 'application/json' }, {}, JSON.stringify(body));
}
