import { describe, expect, test, vi } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import type { WebSocketMessage } from '../../../src/protocols/websocket/types.js';
import { rejectionOf, useFakeClock, useWsFixture } from './helpers.js';

const fixture = useWsFixture();

describe('send', () => {
  test('objects go as JSON text, strings as text, bytes as a binary frame', async () => {
    const { server, ws } = await fixture.start({}, { onMessage: () => undefined });
    await ws.send({ type: 'subscribe', topics: ['a', 'b'] });
    await ws.send('plain text');
    await ws.send(new Uint8Array([1, 2, 3]));
    await ws.send([1, 2]);
    await ws.send(42);
    await ws.send(null);
    await waitFor(() => server.received.length === 6);
    expect(server.received.map((m) => [m.binary, m.binary ? [...(m.data as Buffer)] : m.data])).toEqual([
      [false, '{"type":"subscribe","topics":["a","b"]}'],
      [false, 'plain text'],
      [true, [1, 2, 3]],
      [false, '[1,2]'],
      [false, '42'],
      [false, 'null'],
    ]);
  });

  test('the first send opens the socket lazily and is delivered', async () => {
    const { server, ws } = await fixture.start({}, { onMessage: () => undefined });
    expect(ws.socketState).toBe('idle');
    await ws.send({ n: 1 });
    expect(ws.socketState).toBe('open');
    await waitFor(() => server.received.length === 1);
    expect(server.received[0]?.json).toEqual({ n: 1 });
  });

  test('undefined, functions, BigInt and cycles are refused with typed errors and nothing is sent', async () => {
    const { server, ws } = await fixture.start({}, { onMessage: () => undefined });
    await ws.connect();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect((await rejectionOf(ws.send(undefined as unknown as object))).code).toBe('INVALID_REQUEST');
    expect((await rejectionOf(ws.send((() => 1) as unknown as object))).code).toBe('INVALID_REQUEST');
    const big = await rejectionOf(ws.send({ n: 1n }));
    expect(big.code).toBe('SERIALIZATION');
    expect(big.message).toMatch(/remove BigInt values and cycles/);
    expect((await rejectionOf(ws.send(cyclic))).code).toBe('SERIALIZATION');
    await ws.send('after');
    await waitFor(() => server.received.length === 1);
    expect(server.received.map((m) => m.data)).toEqual(['after']);
  });

  test('a message over maxPayload is MESSAGE_TOO_LARGE, counted in UTF-8 bytes, and never sent', async () => {
    const { server, ws } = await fixture.start({ maxPayload: 10 }, { onMessage: () => undefined });
    await ws.connect();
    const error = await rejectionOf(ws.send('é'.repeat(6)));
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toMatch(/12 bytes, more than maxPayload \(10 bytes\)/);
    expect((await rejectionOf(ws.send(new Uint8Array(11)))).code).toBe('MESSAGE_TOO_LARGE');
    await ws.send('é'.repeat(5));
    await waitFor(() => server.received.length === 1);
    expect(server.received[0]?.data).toBe('é'.repeat(5));
  });

  test('sending after close() is NOT_CONNECTED and does not reopen the socket', async () => {
    const { server, ws } = await fixture.start();
    await ws.connect();
    await ws.close();
    const error = await rejectionOf(ws.send({ late: true }));
    expect(error.code).toBe('NOT_CONNECTED');
    expect(error.message).toMatch(/call connect\(\) to open it again/);
    expect((await rejectionOf(ws.request({ late: true }))).code).toBe('NOT_CONNECTED');
    expect((await rejectionOf(ws.receive())).code).toBe('NOT_CONNECTED');
    expect(server.handshakes).toHaveLength(1);
    expect(ws.socketState).toBe('closed');
  });

  test('connect() after close() opens a new socket', async () => {
    const { server, ws } = await fixture.start();
    await ws.connect();
    await ws.close();
    await ws.connect();
    await ws.send('again');
    expect(await ws.receive({ timeout: 2000 })).toEqual({ type: 'text', data: 'again', invalidJson: true });
    expect(server.handshakes).toHaveLength(2);
  });
});

describe('receive', () => {
  test('JSON text is parsed, other text is kept with invalidJson, binary arrives as bytes', async () => {
    const { server, ws } = await fixture.start();
    await ws.connect();
    await waitFor(() => server.sockets.size === 1);
    server.broadcast('{"price":10}');
    server.broadcast('hello, not json');
    server.broadcast(Buffer.from([7, 8]));
    server.broadcast('"a JSON string"');
    const got: WebSocketMessage[] = [];
    for (let i = 0; i < 4; i++) got.push(await ws.receive({ timeout: 2000 }));
    expect(got[0]).toEqual({ type: 'json', data: { price: 10 } });
    expect(got[1]).toEqual({ type: 'text', data: 'hello, not json', invalidJson: true });
    expect(got[2]?.type).toBe('binary');
    expect([...(got[2]?.data as Uint8Array)]).toEqual([7, 8]);
    expect(got[3]).toEqual({ type: 'json', data: 'a JSON string' });
  });

  test('format "text" never parses', async () => {
    const { server, ws } = await fixture.start({ format: 'text' });
    await ws.connect();
    await waitFor(() => server.sockets.size === 1);
    server.broadcast('{"price":10}');
    expect(await ws.receive({ timeout: 2000 })).toEqual({ type: 'text', data: '{"price":10}' });
  });

  test('a receive timeout is a TIMEOUT error', async () => {
    useFakeClock();
    const { ws } = await fixture.start();
    await ws.connect();
    let settled = false;
    const pending = rejectionOf(ws.receive({ timeout: 20 })).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(19);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/no message arrived on connector "feed" within 20 ms/);
  });

  test('an invalid timeout and an aborted signal are typed errors', async () => {
    const { ws } = await fixture.start();
    expect((await rejectionOf(ws.receive({ timeout: 0 }))).code).toBe('INVALID_REQUEST');
    const controller = new AbortController();
    const pending = rejectionOf(ws.receive({ signal: controller.signal }));
    await ws.connect();
    controller.abort();
    expect((await pending).code).toBe('ABORTED');
  });

  test('a receive waiting when close() is called fails with NOT_CONNECTED', async () => {
    const { ws } = await fixture.start();
    await ws.connect();
    const pending = rejectionOf(ws.receive());
    await ws.close();
    expect((await pending).code).toBe('NOT_CONNECTED');
  });

  test('a message bigger than maxPayload from the server closes with 1009 and MESSAGE_TOO_LARGE, without reconnecting', async () => {
    const { server, ws } = await fixture.start({ maxPayload: 100 });
    const closes: unknown[] = [];
    ws.on('socketClose', (e) => closes.push(e));
    await ws.connect();
    const pending = rejectionOf(ws.receive());
    server.broadcast('x'.repeat(500));
    const error = await pending;
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.details?.['closeCode']).toBe(1009);
    expect(closes).toEqual([expect.objectContaining({ code: 1009, reconnect: false })]);
    expect(ws.socketState).toBe('closed');
    expect(server.handshakes).toHaveLength(1);
  });
});

describe('stream', () => {
  test('iterates messages as they come and ends when the connector closes', async () => {
    const { server, ws } = await fixture.start();
    await ws.connect();
    await waitFor(() => server.sockets.size === 1);
    const seen: unknown[] = [];
    const done = (async () => {
      for await (const message of ws.stream<{ n: number }>()) {
        if (message.type === 'json') seen.push(message.data.n);
        if (seen.length === 3) void ws.close();
      }
    })();
    for (let n = 1; n <= 3; n++) server.broadcast(JSON.stringify({ n }));
    await done;
    expect(seen).toEqual([1, 2, 3]);
  });

  test('break stops the iteration and leaves later messages for the next reader', async () => {
    const { server, ws } = await fixture.start();
    await ws.connect();
    await waitFor(() => server.sockets.size === 1);
    for (let n = 1; n <= 3; n++) server.broadcast(JSON.stringify({ n }));
    for await (const message of ws.stream()) {
      expect(message.data).toEqual({ n: 1 });
      break;
    }
    expect((await ws.receive({ timeout: 2000 })).data).toEqual({ n: 2 });
  });

  test('return() while a next() waits resolves it as done', async () => {
    const { ws } = await fixture.start();
    await ws.connect();
    const stream = ws.stream();
    const waiting = stream.next();
    await stream.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  test('an aborted signal ends the stream with ABORTED', async () => {
    const { ws } = await fixture.start();
    await ws.connect();
    const controller = new AbortController();
    const stream = ws.stream({ signal: controller.signal });
    const waiting = stream.next();
    controller.abort();
    const error = await rejectionOf(waiting);
    expect(isConnectorError(error) && error.code).toBe('ABORTED');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});

async function waitFor(condition: () => boolean, turns = 5000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
