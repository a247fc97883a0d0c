import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it; `url` is the raw request target, never normalised. */
export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** What a route answers. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A real loopback server whose answers come from one function. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on 127.0.0.1, port 0. `answer` returns the reply for a
 * request (JSON-encoded); returning `undefined` answers 404.
 *
 * @example
 * ```ts
 * const server = await startTestServer((req) => (req.path === '/ping' ? { body: { ok: true } } : undefined));
 * ```
 */
export async function startTestServer(answer: (req: SeenRequest) => Reply | undefined | Promise<Reply | undefined>): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url: raw,
      path: queryAt < 0 ? raw : raw.slice(0, queryAt),
      query: new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1)),
      headers: req.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
    requests.push(seen);
    try {
      const reply = (await answer(seen)) ?? { status: 404, body: { error: `no route for ${seen.method} ${seen.path}` } };
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(error) }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
