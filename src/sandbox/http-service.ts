import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxReply, SandboxRequest, SandboxRoute } from './http-types.js';
import { errorReply } from './http-types.js';
import { listenError } from './listen-error.js';
import { compileRoutes, matchRoute, type RouteTable } from './router.js';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * One line of the sandbox's access log. Only the path is given, never the query or
 * headers, so a credential sent in either cannot reach a log.
 *
 * @example
 * ```ts
 * import type { SandboxAccessLog } from 'ia-connectors';
 * const print = (e: SandboxAccessLog) => console.log(`${e.service} ${e.method} ${e.path} ${e.status}`);
 * ```
 */
export interface SandboxAccessLog {
  service: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/**
 * A running loopback HTTP service.
 *
 * @example
 * ```ts
 * import { startHttpService } from './http-service.js';
 * const svc = await startHttpService('rest', []);
 * await svc.close();
 * ```
 */
export interface HttpService {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts `routes` on 127.0.0.1 (port 0 unless given). Unknown paths answer 404,
 * known paths under another method 405, oversized bodies 413, bodies that do not
 * match their content type 400, and a handler that throws 500.
 *
 * @example
 * ```ts
 * import { startHttpService } from './http-service.js';
 * const svc = await startHttpService('rest', [{ method: 'GET', path: '/health', handler: () => ({ status: 200, body: { status: 'ok' } }) }]);
 * ```
 */
export async function startHttpService(
  name: string,
  routes: readonly SandboxRoute[],
  options: { port?: number; onRequest?: (entry: SandboxAccessLog) => void } = {},
): Promise<HttpService> {
  const table = compileRoutes(routes);
  let origin = '';
  const server = createServer((req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      options.onRequest?.({ service: name, method: req.method ?? 'GET', path, status: res.statusCode, durationMs: performance.now() - started });
    });
    handle(table, origin, req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  // events.once() rejects on 'error', which turns a busy port into our own message.
  await once(server.listen(options.port ?? 0, '127.0.0.1'), 'listening').catch((error: unknown) => {
    throw listenError(name, options.port, error);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: origin,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(table: RouteTable, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', origin);
  const match = matchRoute(table, req.method ?? 'GET', url.pathname);
  if (!match.found) {
    req.resume();
    const reply =
      match.status === 405
        ? errorReply(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}; use ${match.allowed?.join(', ')}`, { allow: match.allowed?.join(', ') ?? '' })
        : errorReply(404, 'not_found', `no endpoint ${url.pathname}`);
    return write(res, reply);
  }
  const body = await readBody(req);
  if ('reply' in body) return write(res, body.reply);
  const request: SandboxRequest = { method: req.method ?? 'GET', path: url.pathname, params: match.params, query: url.searchParams, headers: req.headers, body: body.value, origin };
  let reply: SandboxReply;
  try {
    reply = await match.handler(request);
  } catch (error) {
    reply = errorReply(500, 'internal', error instanceof Error ? error.message : String(error));
  }
  write(res, reply);
}

async function readBody(req: IncomingMessage): Promise<{ value: unknown } | { reply: SandboxReply }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { reply: errorReply(413, 'too_large', `request bodies are limited to ${MAX_BODY_BYTES} bytes`) };
    chunks.push(chunk);
  }
  if (size === 0) return { value: undefined };
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { value: Object.fromEntries(new URLSearchParams(text)) };
  if (type !== 'application/json') return { value: text };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { reply: errorReply(400, 'invalid_json', 'the request body is not valid JSON') };
  }
}

function write(res: ServerResponse, reply: SandboxReply): void {
  const isText = typeof reply.body === 'string';
  const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
  if (reply.body !== undefined) res.setHeader('content-type', isText ? 'text/plain; charset=utf-8' : 'application/json');
  if (reply.status !== 204 && reply.status !== 304) res.setHeader('content-length', Buffer.byteLength(payload));
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.writeHead(reply.status);
  res.end(reply.status === 204 || reply.status === 304 ? undefined : payload);
}
