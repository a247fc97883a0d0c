import { afterEach, describe, expect, it } from 'vitest';
import type { GraphQLConnector } from '../../src/protocols/graphql/connector.js';
import type { GrpcConnector } from '../../src/protocols/grpc/connector.js';
import type { WebSocketConnector } from '../../src/protocols/websocket/connector.js';
import { createRegistry } from '../../src/registry/create.js';
import { SANDBOX_PORTS, sandboxUrls, startSandbox } from '../../src/sandbox/index.js';
import { useSandbox } from './helpers.js';
import { freePorts, http2Connection, isFree, occupy, portsOf, rawConnection } from './ports.js';

const fixture = useSandbox();
const blockers: { close(): unknown }[] = [];
afterEach(() => {
  for (const blocker of blockers.splice(0)) blocker.close();
});

describe('sandbox services', () => {
  it('documents fixed default ports 4010-4014 and the URLs they give', () => {
    expect(sandboxUrls(SANDBOX_PORTS)).toEqual({
      rest: 'http://127.0.0.1:4010',
      oauth: 'http://127.0.0.1:4011',
      tokenUrl: 'http://127.0.0.1:4011/oauth/token',
      graphql: 'http://127.0.0.1:4012',
      graphqlEndpoint: 'http://127.0.0.1:4012/graphql',
      graphqlSubscriptions: 'ws://127.0.0.1:4012/graphql',
      grpc: '127.0.0.1:4013',
      websocket: 'ws://127.0.0.1:4014',
    });
  });

  it('starts all five services on distinct loopback ports, each accepting connections', async () => {
    const sandbox = await fixture.start();
    const { urls } = sandbox;
    for (const url of [urls.rest, urls.oauth, urls.graphql, urls.graphqlSubscriptions, urls.websocket, `grpc://${urls.grpc}`]) expect(new URL(url).hostname).toBe('127.0.0.1');
    const ports = Object.values(portsOf(urls));
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) (await rawConnection(port)).destroy();
    expect(sandbox.connectorsConfig.connectors.map((c) => `${c.name}:${c.protocol}`)).toEqual([
      'users_api:rest',
      'catalog:rest',
      'pricing:rest',
      'books:graphql',
      'catalog_grpc:grpc',
      'events:websocket',
    ]);
    expect(Object.keys(sandbox.env)).toEqual(['SANDBOX_CLIENT_ID', 'SANDBOX_CLIENT_SECRET', 'SANDBOX_API_KEY', 'SANDBOX_WEBSOCKET_TOKEN']);
  });

  it('close() drops connected clients of every service and leaves no port open', async () => {
    const sandbox = await startSandbox();
    const { grpc, ...http } = portsOf(sandbox.urls);
    const ports = [grpc, ...Object.values(http)];
    const registry = createRegistry(sandbox.connectorsConfig.connectors);
    try {
      // Real clients with live connections: keep-alive HTTP, an HTTP/2 channel, a graphql-ws socket and a WebSocket.
      await (await registry.get('catalog')).execute({ method: 'GET', endpoint: '/health' });
      await (await registry.get<GrpcConnector>('catalog_grpc')).execute({ method: 'GetProduct', request: { sku: 'mug-02' } });
      const books = await registry.get<GraphQLConnector>('books');
      const live = books.subscribe('subscription { bookAdded { id } }')[Symbol.asyncIterator]();
      const ended = live.next().then(
        (result) => (result.done ? 'completed' : 'got an event'),
        (error: unknown) => `failed: ${String(error)}`,
      );
      // A second subscription on the same socket, run to its end, shows the socket is open with bookAdded registered.
      for await (const event of books.subscribe('subscription { countdown(from: 1) }')) expect(event.data).toEqual({ countdown: 1 });
      await (await registry.get<WebSocketConnector>('events')).request({ method: 'echo', params: ['hi'] });
      const idle = [await http2Connection(grpc), ...(await Promise.all(Object.values(http).map((port) => rawConnection(port))))];
      // Not events.once(): it rejects on the 'error' a cancelled HTTP/2 session emits before 'close'.
      const dropped = idle.map((connection) => new Promise((resolve) => connection.once('close', resolve)));

      await sandbox.close();
      await sandbox.close();

      await Promise.all(dropped);
      await registry.closeAll();
      expect(await ended).toBe('completed');
      for (const port of ports) expect({ port, free: await isFree(port) }).toEqual({ port, free: true });
    } finally {
      await registry.closeAll();
      await sandbox.close();
    }
  });

  it.each(['graphql', 'grpc', 'websocket'] as const)('reports a busy %s port as a CONFIG error naming the service and the port', async (service) => {
    const blocker = await occupy();
    blockers.push(blocker);
    const error = await startSandbox({ [`${service}Port`]: blocker.port }).then(
      (sandbox) => sandbox.close(),
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({
      code: 'CONFIG',
      message: `sandbox ${service} service: port ${blocker.port} on 127.0.0.1 is in use; choose another port, or omit it for a random free one`,
    });
  });

  it('stops the services already started when a later one cannot start', async () => {
    const blocker = await occupy();
    blockers.push(blocker);
    const names = ['restPort', 'oauthPort', 'graphqlPort', 'grpcPort'] as const;
    const ports = await freePorts(names.length);
    const started = Object.fromEntries(names.map((name, i) => [name, ports[i] as number])) as Record<(typeof names)[number], number>;
    await expect(startSandbox({ ...started, websocketPort: blocker.port })).rejects.toMatchObject({ code: 'CONFIG' });
    for (const port of Object.values(started)) expect({ port, free: await isFree(port) }).toEqual({ port, free: true });
  });
});
