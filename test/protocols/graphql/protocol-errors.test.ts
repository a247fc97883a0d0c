import { describe, expect, test } from 'vitest';
import { ack, startScriptedWsServer, type ScriptedWsServer, type WsScript } from '../../support/graphql-ws-script.js';
import { nextEvent, rejectionOf, thrownBy, until, useGraphQL } from './helpers.js';

const gql = useGraphQL();
const TICKS = 'subscription { ticks }';

async function scripted(script: WsScript, options?: { acceptProtocol?: boolean }): Promise<ScriptedWsServer> {
  const server = await startScriptedWsServer(script, options);
  gql.cleanup(() => server.close());
  return server;
}

function connectorFor(server: ScriptedWsServer, subscriptions: Record<string, unknown> = {}) {
  return gql.connector({ baseUrl: 'http://127.0.0.1:9', subscriptions: { url: server.url, ...subscriptions } });
}

const closeOnSubscribe =
  (code: number, reason: (id: string) => string): WsScript =>
  (message, socket, send) => {
    ack(message, socket, send);
    if (message.type === 'subscribe') socket.close(code, reason(message.id ?? ''));
  };

describe('graphql-ws protocol errors', () => {
  test('a duplicate subscription id (4409) is a WEBSOCKET error that says so, and is not retried', async () => {
    const server = await scripted(closeOnSubscribe(4409, (id) => `Subscriber for ${id} already exists`));
    const error = await rejectionOf(connectorFor(server).subscribe(TICKS).next());
    expect(error).toMatchObject({ code: 'WEBSOCKET', retryable: false, details: { closeCode: 4409 } });
    expect(error.message).toContain('subscription id that is already in use');
    expect(server.connections).toBe(1);
  });

  test('subscribe before ack (4401) is a WEBSOCKET error naming the cause, and is not retried', async () => {
    const server = await scripted(closeOnSubscribe(4401, () => 'Unauthorized'));
    const error = await rejectionOf(connectorFor(server).subscribe(TICKS).next());
    expect(error).toMatchObject({ code: 'WEBSOCKET', details: { closeCode: 4401, closeReason: 'Unauthorized' } });
    expect(error.message).toContain('subscribe before it had acknowledged connection_init');
    expect(server.connections).toBe(1);
  });

  test('the client subscribes only after connection_ack, however late it comes', async () => {
    let ackedAt = 0;
    const server = await scripted((message, _socket, send) => {
      if (message.type === 'connection_init') {
        setTimeout(() => {
          ackedAt = Date.now();
          send({ type: 'connection_ack' });
        }, 30);
      }
      if (message.type === 'subscribe') {
        send({ id: message.id, type: 'next', payload: { data: { ticks: 1 } } });
        send({ id: message.id, type: 'complete' });
      }
    });
    const seen: unknown[] = [];
    for await (const event of connectorFor(server).subscribe(TICKS)) seen.push(event.data);
    expect(seen).toEqual([{ ticks: 1 }]);
    const subscribe = server.received.find((m) => m.type === 'subscribe');
    expect(ackedAt).toBeGreaterThan(0);
    expect(subscribe?.at).toBeGreaterThanOrEqual(ackedAt);
  });

  test('a message before connection_ack breaks the protocol: WEBSOCKET, no silent hang', async () => {
    const server = await scripted((message, _socket, send) => {
      if (message.type === 'connection_init') send({ id: 'x', type: 'next', payload: { data: {} } });
    });
    const error = await rejectionOf(connectorFor(server).subscribe(TICKS).next());
    expect(error.code).toBe('WEBSOCKET');
    expect(error.message).toContain('First message cannot be of type next');
  });

  test('no connection_ack within ackTimeout ends the subscription with WEBSOCKET 4504', async () => {
    const server = await scripted(() => undefined);
    const error = await rejectionOf(connectorFor(server, { ackTimeout: 50, reconnectAttempts: 0 }).subscribe(TICKS).next());
    expect(error).toMatchObject({ code: 'WEBSOCKET', details: { closeCode: 4504 } });
    expect(error.message).toContain('subscriptions.ackTimeout');
  });

  test('a server that stops answering pings is dropped after pongTimeout and the client reconnects', async () => {
    const server = await scripted(ack);
    const api = connectorFor(server, { keepAlive: 20, pongTimeout: 20 });
    const reconnected = nextEvent(api, 'subscriptionReconnect');
    const sub = api.subscribe(TICKS);
    void sub.next().catch(() => undefined);
    expect(await reconnected).toMatchObject({ reason: 'connection_lost', closeCode: 1006 });
    expect(server.connections).toBeGreaterThanOrEqual(2);
    await sub.return();
  });

  test('a server that answers pings keeps its one connection', async () => {
    const server = await scripted((message, socket, send) => {
      ack(message, socket, send);
      if (message.type === 'ping') send({ type: 'pong' });
    });
    const sub = connectorFor(server, { keepAlive: 10, pongTimeout: 50 }).subscribe(TICKS);
    void sub.next().catch(() => undefined);
    await until(() => server.received.filter((m) => m.type === 'ping').length >= 4, 'four pings');
    expect(server.connections).toBe(1);
    await sub.return();
  });

  test('a message larger than maxPayload is MESSAGE_TOO_LARGE', async () => {
    const server = await scripted((message, socket, send) => {
      ack(message, socket, send);
      if (message.type === 'subscribe') send({ id: message.id, type: 'next', payload: { data: { ticks: 'x'.repeat(2000) } } });
    });
    const error = await rejectionOf(connectorFor(server, { maxPayload: 500 }).subscribe(TICKS).next());
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toContain('subscriptions.maxPayload');
  });

  test('a consumer slower than maxBuffered gets the buffered results, then QUEUE_FULL, and the server is told to stop', async () => {
    const server = await scripted((message, socket, send) => {
      ack(message, socket, send);
      if (message.type === 'subscribe') for (let i = 1; i <= 5; i++) send({ id: message.id, type: 'next', payload: { data: { ticks: i } } });
    });
    const sub = connectorFor(server, { maxBuffered: 2 }).subscribe<{ ticks: number }>(TICKS);
    await until(() => sub.closed, 'the overflow');
    expect((await sub.next()).value?.data).toEqual({ ticks: 1 });
    expect((await sub.next()).value?.data).toEqual({ ticks: 2 });
    expect(await rejectionOf(sub.next())).toMatchObject({ code: 'QUEUE_FULL' });
    await until(() => server.received.some((m) => m.type === 'complete'), 'the complete message');
  });

  test('a server without the graphql-transport-ws subprotocol is refused with WEBSOCKET', async () => {
    const server = await scripted(ack, { acceptProtocol: false });
    const error = await rejectionOf(connectorFor(server).subscribe(TICKS).next());
    expect(error.code).toBe('WEBSOCKET');
    expect(error.message).toContain('did not accept the graphql-transport-ws subprotocol');
  });
});

describe('bad subscription input', () => {
  test('a connector without WebSocket support throws UNSUPPORTED saying how to enable it', () => {
    const api = gql.connector({ baseUrl: 'http://127.0.0.1:9' });
    const error = thrownBy(() => api.subscribe(TICKS));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain('add subscriptions: {} to its config');
  });

  test('a syntax error throws at once and nothing connects', async () => {
    const server = await scripted(ack);
    const error = thrownBy(() => connectorFor(server).subscribe('subscription { ticks'));
    expect(error.code).toBe('GRAPHQL_SYNTAX');
    expect(server.connections).toBe(0);
  });

  test('a query given to subscribe() says to use query()', () => {
    const error = thrownBy(() => gql.connector({ baseUrl: 'http://127.0.0.1:9', subscriptions: {} }).subscribe('{ hello }'));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(error.message).toContain('use query()');
  });

  test('a refused upgrade (404) is WEBSOCKET with the status and a hint, not retried', async () => {
    const { server } = await gql.start();
    const api = gql.connector({ baseUrl: server.url, subscriptions: { url: `ws://127.0.0.1:${server.port}/elsewhere` } });
    const error = await rejectionOf(api.subscribe(TICKS).next());
    expect(error).toMatchObject({ code: 'WEBSOCKET', details: { status: 404 } });
    expect(error.message).toContain('check subscriptions.url');
  });

  test('nothing listening is CONNECTION_REFUSED after the chain and the reconnects gave up', async () => {
    const server = await scripted(ack);
    const url = server.url;
    await server.close();
    const api = gql.connector({ baseUrl: 'http://127.0.0.1:9', subscriptions: { url, reconnectAttempts: 1 }, retry: { maxAttempts: 2, baseDelay: 1, maxDelay: 2 } });
    const error = await rejectionOf(api.subscribe(TICKS).next());
    expect(error.code).toBe('CONNECTION_REFUSED');
  });
});
