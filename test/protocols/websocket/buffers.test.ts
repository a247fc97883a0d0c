import { describe, expect, test } from 'vitest';
import { rejectionOf, until, useWsFixture } from './helpers.js';

const fixture = useWsFixture();

function burst(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => JSON.stringify({ n: from + i }));
}

describe('the receive buffer is bounded', () => {
  test('overflow "error": the reader gets the buffered messages, then QUEUE_FULL counting the loss, then new messages again', async () => {
    const { server, ws } = await fixture.start({ receiveBuffer: { size: 10 } });
    let dropped = 0;
    ws.on('messageDropped', (e) => (dropped += e.count));
    await ws.connect();
    await until(() => server.sockets.size === 1, 'the socket');
    for (const m of burst(1, 50)) server.broadcast(m);
    await until(() => dropped === 40, 'the overflow');
    expect(ws.buffered).toBe(10);
    const read: unknown[] = [];
    for (let i = 0; i < 10; i++) read.push((await ws.receive()).data);
    expect(read).toEqual(Array.from({ length: 10 }, (_, i) => ({ n: i + 1 })));
    const error = await rejectionOf(ws.receive());
    expect(error.code).toBe('QUEUE_FULL');
    expect(error.details).toMatchObject({ dropped: 40, size: 10 });
    expect(error.message).toMatch(/receiveBuffer.overflow: "drop-oldest"/);
    server.broadcast(JSON.stringify({ n: 51 }));
    expect((await ws.receive({ timeout: 2000 })).data).toEqual({ n: 51 });
  });

  test('overflow "error" keeps dropping until the loss is read, so no message after the gap arrives before the error', async () => {
    const { server, ws } = await fixture.start({ receiveBuffer: { size: 2 } });
    let dropped = 0;
    ws.on('messageDropped', (e) => (dropped += e.count));
    await ws.connect();
    await until(() => server.sockets.size === 1, 'the socket');
    for (const m of burst(1, 3)) server.broadcast(m);
    await until(() => dropped === 1, 'the first loss');
    expect((await ws.receive()).data).toEqual({ n: 1 });
    server.broadcast(JSON.stringify({ n: 4 }));
    await until(() => dropped === 2, 'the second loss');
    expect((await ws.receive()).data).toEqual({ n: 2 });
    expect((await rejectionOf(ws.receive())).details).toMatchObject({ dropped: 2 });
  });

  test('overflow "error" through stream(): the loop reads the buffered messages, then throws QUEUE_FULL', async () => {
    const { server, ws } = await fixture.start({ receiveBuffer: { size: 5 } });
    let dropped = 0;
    ws.on('messageDropped', (e) => (dropped += e.count));
    await ws.connect();
    await until(() => server.sockets.size === 1, 'the socket');
    for (const m of burst(1, 20)) server.broadcast(m);
    await until(() => dropped === 15, 'the overflow');
    const read: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const message of ws.stream()) read.push(message.data);
      })(),
    );
    expect(read).toEqual(Array.from({ length: 5 }, (_, i) => ({ n: i + 1 })));
    expect(error.code).toBe('QUEUE_FULL');
    expect(error.details).toMatchObject({ dropped: 15, size: 5 });
  });

  test('overflow "drop-oldest": the newest messages are kept', async () => {
    const { server, ws } = await fixture.start({ receiveBuffer: { size: 10, overflow: 'drop-oldest' } });
    let dropped = 0;
    ws.on('messageDropped', (e) => (dropped += e.count));
    await ws.connect();
    await until(() => server.sockets.size === 1, 'the socket');
    for (const m of burst(1, 50)) server.broadcast(m);
    await until(() => dropped === 40, 'the overflow');
    expect(ws.buffered).toBe(10);
    const read: unknown[] = [];
    for (let i = 0; i < 10; i++) read.push((await ws.receive()).data);
    expect(read).toEqual(Array.from({ length: 10 }, (_, i) => ({ n: i + 41 })));
  });

  test('a slow stream reader against a fast producer: the buffer never holds more than its size and the last message arrives', async () => {
    const size = 50;
    const total = 5000;
    const { server, ws } = await fixture.start({ receiveBuffer: { size, overflow: 'drop-oldest' } });
    await ws.connect();
    await until(() => server.sockets.size === 1, 'the socket');
    const socket = [...server.sockets][0];
    let sent = 0;
    const produce = (): void => {
      // Bursts of 100 per event-loop turn: far faster than the reader below.
      for (let i = 0; i < 100 && sent < total; i++) socket?.send(JSON.stringify({ n: ++sent }));
      if (sent < total) setImmediate(produce);
    };
    produce();
    let maxBuffered = 0;
    let last = 0;
    let count = 0;
    for await (const message of ws.stream<{ n: number }>()) {
      maxBuffered = Math.max(maxBuffered, ws.buffered);
      if (message.type === 'json') {
        expect(message.data.n).toBeGreaterThan(last);
        last = message.data.n;
      }
      count++;
      if (last === total) break;
      for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(maxBuffered).toBeLessThanOrEqual(size);
    expect(last).toBe(total);
    expect(count).toBeLessThan(total);
  });
});
