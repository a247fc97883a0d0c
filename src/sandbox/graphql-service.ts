import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildSchema, execute, getOperationAST, GraphQLError, parse, subscribe, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const MAX_BODY_BYTES = 1024 * 1024;

const SDL = /* GraphQL */ `
  "A book in the sandbox library."
  type Book {
    id: ID!
    title: String!
    author: String!
    year: Int
    "Always fails: shows a result with partial data and errors."
    stock: Int
  }
  type Query {
    books(first: Int = 10): [Book!]!
    book(id: ID!): Book
  }
  type Mutation {
    addBook(title: String!, author: String!, year: Int): Book!
  }
  type Subscription {
    "Every book added by addBook, as it is added."
    bookAdded: Book!
    "Counts down from \`from\` to 1, one number every \`intervalMs\` (at most 1000), then completes."
    countdown(from: Int! = 3, intervalMs: Int! = 200): Int!
  }
`;

interface Book {
  id: string;
  title: string;
  author: string;
  year: number | null;
}

/**
 * A running sandbox GraphQL service: GraphQL over HTTP at `url`, graphql-ws
 * subscriptions at `wsUrl`, on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { startGraphQLService } from 'ia-connectors';
 * const library = await startGraphQLService();
 * console.log(library.url, library.wsUrl);
 * await library.close();
 * ```
 */
export interface GraphQLService {
  /** `http://127.0.0.1:<port>`: the `baseUrl` of a GraphQL connector (its default endpoint is `/graphql`). */
  readonly url: string;
  /** `http://127.0.0.1:<port>/graphql`, the endpoint itself. */
  readonly graphqlUrl: string;
  /** `ws://127.0.0.1:<port>/graphql`. */
  readonly wsUrl: string;
  readonly port: number;
  /** Stops the service and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the sandbox's GraphQL library: `books`, `book(id)`, `addBook` (a mutation),
 * `Book.stock` (a field that always errors, for partial results) and the
 * subscriptions `bookAdded` and `countdown`. Nothing leaves the loopback interface.
 *
 * @example
 * ```ts
 * import { startGraphQLService, createGraphQLConnector } from 'ia-connectors';
 * const library = await startGraphQLService();
 * const api = createGraphQLConnector({ name: 'library', baseUrl: library.url, subscriptions: {} });
 * const { data } = await api.query('{ books { title author } }');
 * ```
 */
export async function startGraphQLService(options: { port?: number } = {}): Promise<GraphQLService> {
  const schema = buildSchema(SDL);
  const books: Book[] = [
    { id: '1', title: 'Dune', author: 'Frank Herbert', year: 1965 },
    { id: '2', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 },
    { id: '3', title: 'Neuromancer', author: 'William Gibson', year: 1984 },
  ];
  const listeners = new Set<(book: Book) => void>();
  const withStock = (book: Book) => ({
    ...book,
    stock: () => {
      throw new GraphQLError('the stock service is unavailable', { extensions: { code: 'STOCK_UNAVAILABLE' } });
    },
  });
  const roots = {
    query: {
      books: ({ first }: { first: number }) => books.slice(0, Math.max(0, first)).map(withStock),
      book: ({ id }: { id: string }) => {
        const found = books.find((b) => b.id === id);
        return found ? withStock(found) : null;
      },
    },
    mutation: {
      addBook: ({ title, author, year }: { title: string; author: string; year?: number }) => {
        const book = { id: String(books.length + 1), title, author, year: year ?? null };
        books.push(book);
        for (const listener of listeners) listener(book);
        return withStock(book);
      },
    },
    subscription: {
      bookAdded: () => feed(listeners, (book) => ({ bookAdded: withStock(book) })),
      countdown: async function* ({ from, intervalMs }: { from: number; intervalMs: number }) {
        for (let n = Math.min(from, 100); n > 0; n--) {
          yield { countdown: n };
          if (n > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(intervalMs, 0), 1000)));
        }
      },
    },
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/graphql') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  // graphql's own functions are handed over so that the schema and its executor always come from one copy of graphql.
  useServer({ schema, roots, parse, validate, execute, subscribe }, wss);

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [path, search = ''] = (req.url ?? '/').split('?');
    if (path !== '/graphql') return reply(res, 404, 'application/json', { errors: [{ message: 'not found; the GraphQL endpoint is /graphql' }] });
    const mediaType = String(req.headers.accept ?? '').includes('application/graphql-response+json') ? 'application/graphql-response+json' : 'application/json';
    const strict = mediaType !== 'application/json';
    const params = req.method === 'GET' ? fromSearch(search) : req.method === 'POST' ? await fromBody(req) : undefined;
    if (!params) return reply(res, 405, mediaType, { errors: [{ message: 'use GET or POST with a JSON body' }] });
    if ('error' in params) return reply(res, 400, mediaType, { errors: [{ message: params.error }] });
    let document: DocumentNode;
    try {
      document = parse(params.query);
    } catch (error) {
      return reply(res, strict ? 400 : 200, mediaType, { errors: [error as GraphQLError] });
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return reply(res, strict ? 400 : 200, mediaType, { errors: invalid });
    const operation = getOperationAST(document, params.operationName);
    if (!operation) return reply(res, strict ? 400 : 200, mediaType, { errors: [{ message: 'the document needs exactly one operation, or operationName naming one' }] });
    if (operation.operation === 'subscription') return reply(res, 400, mediaType, { errors: [{ message: 'subscriptions are served over WebSocket (graphql-ws) at this path' }] });
    if (operation.operation === 'mutation' && req.method === 'GET') return reply(res, 405, mediaType, { errors: [{ message: 'mutations need POST' }] });
    const result = (await execute({ schema, document, rootValue: roots[operation.operation], variableValues: params.variables, operationName: params.operationName })) as ExecutionResult;
    reply(res, 200, mediaType, result);
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    port,
    close: () =>
      (closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await closed;
      })()),
  };
}

type Params = { query: string; variables?: Record<string, unknown>; operationName?: string } | { error: string };

function fromSearch(search: string): Params {
  const params = new URLSearchParams(search);
  const query = params.get('query');
  if (!query) return { error: 'missing the "query" parameter' };
  try {
    const variables = params.get('variables');
    return { query, operationName: params.get('operationName') ?? undefined, variables: variables ? (JSON.parse(variables) as Record<string, unknown>) : undefined };
  } catch {
    return { error: 'the "variables" parameter is not JSON' };
  }
}

async function fromBody(req: IncomingMessage): Promise<Params> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return { error: 'send the body as application/json' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { error: 'the body is larger than 1 MiB' };
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof body.query !== 'string') return { error: 'the body needs a "query" string' };
    return {
      query: body.query,
      variables: typeof body.variables === 'object' && body.variables !== null ? (body.variables as Record<string, unknown>) : undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    };
  } catch {
    return { error: 'the body is not valid JSON' };
  }
}

function reply(res: ServerResponse, status: number, mediaType: string, body: unknown): void {
  res.writeHead(status, { 'content-type': `${mediaType}; charset=utf-8` }).end(JSON.stringify(body));
}

/** A live feed of `listeners`' values; a plain iterator, so unsubscribing takes effect even while it waits. */
function feed<T>(listeners: Set<(value: T) => void>, map: (value: T) => unknown): AsyncIterableIterator<unknown> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const listener = (value: T): void => {
    queue.push(value);
    wake?.();
  };
  listeners.add(listener);
  const iterator: AsyncIterableIterator<unknown> = {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      return done ? { value: undefined, done: true } : { value: map(queue.shift() as T), done: false };
    },
    async return() {
      done = true;
      listeners.delete(listener);
      wake?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
