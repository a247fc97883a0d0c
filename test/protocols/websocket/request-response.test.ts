import { describe, expect, test, vi } from 'vitest';
import type { ReceivedMessage } from '../../support/ws-server.js';
import type { WebSocket } from 'ws';
import { rejectionOf, until, useFakeClock, useWsFixture } from './helpers.js';

const fixture = useWsFixture();

describe('request()', () => {
  test('100 concurrent requests each resolve with the reply carrying their id, even when replies come back shuffled', async () => {
    const held: [ReceivedMessage, WebSocket][] = [];
    const { server, ws } = await fixture.start(
      {},
      {
        onMessage: (message, socket) => {
          held.push([message, socket]);
          if (held.length < 100) return;
          // Answer in a scrambled order: a reply must be matched by id, never by arrival.
          const order = held.map((_, i) => (i * 37) % 100);
          for (const i of order) {
            const [m, s] = held[i] as [ReceivedMessage, WebSocket];
            const body = m.json as { id: number; n: number };
            s.send(JSON.stringify({ id: body.id, square: body.n * body.n }));
          }
        },
      },
    );
    const replies = await Promise.all(Array.from({ length: 100 }, (_, n) => ws.request<{ id: number; square: number }>({ n })));
    expect(replies.map((r) => r.square)).toEqual(Array.from({ length: 100 }, (_, n) => n * n));
    expect(new Set(replies.map((r) => r.id)).size).toBe(100);
    expect(server.received).toHaveLength(100);
    expect(ws.pendingRequests).toBe(0);
    expect(ws.buffered).toBe(0);
  });

  test('messages that answer no request go to the stream, in order', async () => {
    const { ws } = await fixture.start(
      {},
      {
        onMessage: (message, socket) => {
          const body = message.json as { id: number };
          socket.send(JSON.stringify({ event: 'before' }));
          socket.send(JSON.stringify({ id: 'someone-else', event: 'foreign' }));
          socket.send(JSON.stringify({ id: body.id, ok: true }));
        },
      },
    );
    expect(await ws.request({ op: 'x' })).toEqual({ id: 1, ok: true });
    expect((await ws.receive({ timeout: 1000 })).data).toEqual({ event: 'before' });
    expect((await ws.receive({ timeout: 1000 })).data).toEqual({ id: 'someone-else', event: 'foreign' });
  });

  test('the correlation field is configurable and an id the caller set is kept', async () => {
    const { server, ws } = await fixture.start(
      { correlation: { field: 'requestId' } },
      { onMessage: (m, s) => s.send(JSON.stringify({ requestId: (m.json as { requestId: unknown }).requestId, done: true })) },
    );
    expect(await ws.request({ op: 'a' })).toEqual({ requestId: 1, done: true });
    expect(await ws.request({ op: 'b', requestId: 'mine-7' })).toEqual({ requestId: 'mine-7', done: true });
    expect(server.received.map((m) => m.json)).toEqual([
      { op: 'a', requestId: 1 },
      { op: 'b', requestId: 'mine-7' },
    ]);
  });

  test('custom ids come from createId', async () => {
    let n = 0;
    const { ws } = await fixture.start({}, { onMessage: (m, s) => s.send(JSON.stringify({ id: (m.json as { id: unknown }).id })) }, { createId: () => `req-${++n}` });
    expect(await ws.request({})).toEqual({ id: 'req-1' });
  });

  test('a request that is not a JSON object, or reuses a waiting id, is INVALID_REQUEST and is not sent', async () => {
    const { server, ws } = await fixture.start({}, { onMessage: () => undefined });
    await ws.connect();
    const notObject = await rejectionOf(ws.request('ping' as unknown as object));
    expect(notObject.code).toBe('INVALID_REQUEST');
    expect(notObject.message).toMatch(/request\(\) needs a JSON object to carry the correlation field "id"; got string/);
    expect((await rejectionOf(ws.request([1, 2]))).message).toMatch(/got an array/);
    const first = ws.request({ id: 'same' }, { timeout: 5000 });
    first.catch(() => undefined);
    const duplicate = await rejectionOf(ws.request({ id: 'same' }));
    expect(duplicate.message).toMatch(/a request with id same is already waiting/);
    expect((await rejectionOf(ws.request({}, { timeout: -5 }))).code).toBe('INVALID_REQUEST');
    await until(() => server.received.length === 1, 'the first request');
    expect(server.received).toHaveLength(1);
  });

  test('no reply within the timeout is a TIMEOUT error; the late reply is dropped, not streamed', async () => {
    useFakeClock();
    let answer: (() => void) | undefined;
    const { ws } = await fixture.start(
      {},
      {
        onMessage: (m, s) => {
          answer = () => s.send(JSON.stringify({ id: (m.json as { id: number }).id, late: true }));
        },
      },
    );
    const dropped: unknown[] = [];
    ws.on('messageDropped', (e) => dropped.push(e));
    await ws.connect();
    const pending = rejectionOf(ws.request({ op: 'slow' }, { timeout: 1000 }));
    await until(() => answer !== undefined, 'the request to arrive');
    await vi.advanceTimersByTimeAsync(999);
    expect(ws.pendingRequests).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/no reply with id 1 from connector "feed" within 1000 ms/);
    expect(error.details).toMatchObject({ correlationId: 1, timeoutMs: 1000 });
    answer?.();
    await until(() => dropped.length === 1, 'the late reply');
    expect(dropped).toEqual([{ connector: 'feed', reason: 'late_reply', count: 1 }]);
    expect(ws.buffered).toBe(0);
  });

  test('the default timeout is correlation.timeout', async () => {
    useFakeClock();
    const { ws } = await fixture.start({ correlation: { timeout: 250 } }, { onMessage: () => undefined });
    await ws.connect();
    const pending = rejectionOf(ws.request({}));
    await vi.advanceTimersByTimeAsync(250);
    expect((await pending).code).toBe('TIMEOUT');
  });

  test('an aborted request is ABORTED and its reply is dropped later', async () => {
    const { server, ws } = await fixture.start({}, { onMessage: () => undefined });
    await ws.connect();
    const controller = new AbortController();
    const pending = rejectionOf(ws.request({ op: 'x' }, { signal: controller.signal }));
    await until(() => server.received.length === 1, 'the request');
    controller.abort();
    expect((await pending).code).toBe('ABORTED');
    expect(ws.pendingRequests).toBe(0);
  });

  test('requests in flight when the socket drops fail at once with a retryable WEBSOCKET error naming the close code', async () => {
    const { server, ws } = await fixture.start({ reconnect: false }, { onMessage: () => undefined });
    await ws.connect();
    const pending = rejectionOf(ws.request({ op: 'x' }, { timeout: 60_000 }));
    await until(() => server.received.length === 1, 'the request');
    server.dropAll();
    const error = await pending;
    expect(error.code).toBe('WEBSOCKET');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ closeCode: 1006 });
    expect(error.message).toMatch(/closed with 1006 \(abnormal closure, no close frame\)/);
  });
});
