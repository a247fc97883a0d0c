import { once } from 'node:events';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { SandboxPorts, SandboxUrls } from '../../src/sandbox/index.js';

/** The port of each service, read back from its URL. */
export function portsOf(urls: SandboxUrls): SandboxPorts {
  const port = (url: string) => Number(new URL(url).port);
  return { rest: port(urls.rest), oauth: port(urls.oauth), graphql: port(urls.graphql), grpc: port(`grpc://${urls.grpc}`), websocket: port(urls.websocket) };
}

/** Listens on 127.0.0.1:`port` (0: a free one) until closed. */
export async function occupy(port = 0): Promise<Server & { port: number }> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(server, { port: (server.address() as { port: number }).port });
}

/** `count` distinct ports that were free a moment ago. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => occupy()));
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return servers.map((server) => server.port);
}

/** Whether nothing listens on 127.0.0.1:`port` any more: it can be listened on again. */
export async function isFree(port: number): Promise<boolean> {
  try {
    const server = await occupy(port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return true;
  } catch {
    return false;
  }
}

/** An idle TCP connection to 127.0.0.1:`port`. */
export async function rawConnection(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  return socket;
}

/** An idle HTTP/2 session to 127.0.0.1:`port`; a gRPC server only tracks a connection once it speaks HTTP/2. */
export async function http2Connection(port: number): Promise<ClientHttp2Session> {
  const session = connectHttp2(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  await once(session, 'connect');
  return session;
}
