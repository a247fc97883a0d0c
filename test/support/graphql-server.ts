import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHandler, type RequestParams, type Response as HttpResult } from 'graphql-http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { PubSub, testSchema, type TestContext } from './graphql-schema.js';

/** One HTTP request as the GraphQL server received it. */
export interface RecordedGraphQLRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body (empty for GET). */
  body: string;
  at: number;
}

/** One graphql-ws connection as the server saw it. */
export interface RecordedConnection {
  /** The `connection_init` payload. */
  params: Record<string, unknown> | undefined;
  /** Headers of the WebSocket upgrade request. */
  headers: IncomingHttpHeaders;
}

/** Options of {@link startGraphQLServer}. */
export interface GraphQLServerOptions {
  /** Serve automatic persisted queries (hash lookups, `PersistedQueryNotFound`). */
  persistedQueries?: boolean;
  /** When set, HTTP requests need `authorization` and ws connections `connectionParams.authorization` from this set. */
  tokens?: Set<string>;
}

/** A real GraphQL server on 127.0.0.1: graphql-http for HTTP, graphql-ws over `ws` for subscriptions. */
export interface GraphQLTestServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`; the endpoint is `/graphql`. */
  readonly url: string;
  readonly wsUrl: string;
  readonly requests: RecordedGraphQLRequest[];
  readonly connections: RecordedConnection[];
  /** Subscribe messages received, in order. */
  readonly subscribes: { id: string; query: string }[];
  readonly pubsub: PubSub;
  /** Open graphql-ws sockets. */
  readonly sockets: ReadonlySet<WebSocket>;
  /** Closes every graphql-ws socket with `code` (the clients see it as a server close). */
  kick(code: number, reason: string): void;
  /** Stops listening and drops every connection, keeping the port for {@link resume}. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the test GraphQL server on port 0. */
export async function startGraphQLServer(options: GraphQLServerOptions = {}): Promise<GraphQLTestServer> {
  const pubsub = new PubSub();
  const { schema, rootValue } = testSchema(pubsub);
  const requests: RecordedGraphQLRequest[] = [];
  const connections: RecordedConnection[] = [];
  const subscribes: { id: string; query: string }[] = [];
  const persisted = new Map<string, string>();
  const sockets = new Set<Socket>();
  const tokens = options.tokens;

  const handler = createHandler<IncomingMessage, undefined, TestContext>({
    schema,
    rootValue,
    context: (req) => ({ authorization: header(req.raw.headers.authorization) }),
    parseRequestParams: options.persistedQueries ? (req) => persistedParams(req.method, req.url, req.body, persisted) : undefined,
  });

  const server: Server = createServer((req, res) => void serve(req, res));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
    if (tokens && !tokens.has(header(req.headers.authorization) ?? '')) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized');
      return;
    }
    if (!(req.url ?? '').startsWith('/graphql')) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>');
      return;
    }
    const [text, init] = await handler({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers as Record<string, string>, body, raw: req, context: undefined });
    res.writeHead(init.status, init.statusText, init.headers).end(text ?? undefined);
  }

  const wss = new WebSocketServer({ noServer: true });
  const upgrades = new WeakMap<WebSocket, IncomingHttpHeaders>();
  wss.on('connection', (socket, request) => upgrades.set(socket, request.headers));
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  useServer<Record<string, unknown> | undefined, { authorization?: string }>(
    {
      schema,
      roots: { subscription: rootValue as Record<string, object>, query: rootValue as Record<string, object>, mutation: rootValue as Record<string, object> },
      context: (ctx) => ({ authorization: ctx.connectionParams?.['authorization'] as string | undefined }),
      onConnect: (ctx) => {
        const params = ctx.connectionParams;
        connections.push({ params, headers: upgrades.get(ctx.extra.socket) ?? {} });
        if (tokens && !tokens.has(String(params?.['authorization'] ?? ''))) return false;
        return true;
      },
      onSubscribe: (_ctx, id, payload) => {
        subscribes.push({ id, query: payload.query });
      },
    },
    wss,
  );

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const stop = async (): Promise<void> => {
    for (const client of wss.clients) client.terminate();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    requests,
    connections,
    subscribes,
    pubsub,
    get sockets() {
      return wss.clients;
    },
    kick(code, reason) {
      for (const client of wss.clients) client.close(code, reason);
    },
    stop,
    async resume() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async close() {
      if (server.listening) await stop();
      wss.close();
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Automatic persisted queries, as Apollo serves them; `undefined` lets graphql-http parse a plain request. */
function persistedParams(method: string, url: string, body: unknown, store: Map<string, string>): RequestParams | HttpResult | undefined {
  const raw = method === 'GET' ? fromUrl(url) : (JSON.parse(String(body)) as Record<string, unknown>);
  const extensions = raw['extensions'] as { persistedQuery?: { sha256Hash?: string } } | undefined;
  const hash = extensions?.persistedQuery?.sha256Hash;
  if (!hash) return undefined;
  const query = raw['query'];
  if (typeof query === 'string') {
    if (createHash('sha256').update(query).digest('hex') !== hash) return error(400, 'provided sha does not match query');
    store.set(hash, query);
    return undefined;
  }
  const stored = store.get(hash);
  if (!stored) return error(200, 'PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND');
  return {
    query: stored,
    variables: raw['variables'] as Record<string, unknown> | undefined,
    operationName: raw['operationName'] as string | undefined,
    extensions: extensions as Record<string, unknown>,
  };
}

function fromUrl(url: string): Record<string, unknown> {
  const params = new URL(url, 'http://127.0.0.1').searchParams;
  const parsed = (name: string): unknown => (params.has(name) ? JSON.parse(params.get(name) as string) : undefined);
  return { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables: parsed('variables'), extensions: parsed('extensions') };
}

function error(status: number, message: string, code?: string): HttpResult {
  const body = JSON.stringify({ errors: [{ message, ...(code ? { extensions: { code } } : {}) }] });
  return [body, { status, statusText: 'OK', headers: { 'content-type': 'application/json; charset=utf-8' } }];
}
