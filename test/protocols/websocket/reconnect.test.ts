import { describe, expect, test, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { ReceivedMessage } from '../../support/ws-server.js';
import type { WebSocketEvents } from '../../../src/protocols/websocket/events.js';
import type { WebSocketConnector } from '../../../src/protocols/websocket/connector.js';
import { rejectionOf, driveUntil, until, useFakeClock, useWsFixture } from './helpers.js';

const fixture = useWsFixture();
const FAST = { reconnect: { baseDelay: 100, maxDelay: 1000, jitter: 'none' as const }, retry: { maxAttempts: 1 } };

function record<K extends keyof WebSocketEvents>(ws: WebSocketConnector, event: K): WebSocketEvents[K][] {
  const seen: WebSocketEvents[K][] = [];
  ws.on(event, (e) => seen.push(e));
  return seen;
}

describe('reconnect', () => {
  test('server killed and restarted mid-stream: 500 sends queued while down are all delivered, in order, and the stream goes on', async () => {
    useFakeClock();
    const greet = { onConnection: (s: WebSocket) => s.send(JSON.stringify({ hello: 'again' })), onMessage: () => undefined };
    const first = await fixture.server(greet);
    const ws = fixture.connector(first.url, FAST);
    const stream = ws.stream();
    await ws.connect();
    expect((await stream.next()).value?.data).toEqual({ hello: 'again' });
    await first.close();
    await until(() => ws.socketState === 'reconnecting', 'the drop to be noticed');
    const sends = Array.from({ length: 500 }, (_, seq) => ws.send({ seq }));
    expect(ws.queued).toBe(500);
    const second = await fixture.server({ ...greet, port: first.port });
    await driveUntil(() => second.received.length === 500, 'the queued messages');
    await Promise.all(sends);
    expect(second.received.map((m) => (m.json as { seq: number }).seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(new Set(second.received.map((m) => m.socketId)).size).toBe(1);
    expect(ws.queued).toBe(0);
    expect((await stream.next()).value?.data).toEqual({ hello: 'again' });
    expect(ws.socketState).toBe('open');
  });

  test('a send beyond the queue bound is QUEUE_FULL; the ones within it are still delivered', async () => {
    useFakeClock();
    const first = await fixture.server({ onMessage: () => undefined });
    const ws = fixture.connector(first.url, { ...FAST, sendQueue: { size: 5 } });
    await ws.connect();
    await first.close();
    await until(() => ws.socketState === 'reconnecting', 'the drop');
    const kept = Array.from({ length: 5 }, (_, seq) => ws.send({ seq }));
    const error = await rejectionOf(ws.send({ seq: 5 }));
    expect(error.code).toBe('QUEUE_FULL');
    expect(error.message).toMatch(/already has 5 messages waiting for the socket to open \(sendQueue.size\)/);
    const second = await fixture.server({ port: first.port, onMessage: () => undefined });
    await driveUntil(() => second.received.length === 5, 'the kept messages');
    await Promise.all(kept);
    expect(second.received.map((m) => m.json)).toEqual([0, 1, 2, 3, 4].map((seq) => ({ seq })));
  });

  test('onReconnect hooks resend subscriptions before the queued messages go out', async () => {
    useFakeClock();
    const first = await fixture.server({ onMessage: () => undefined });
    const ws = fixture.connector(first.url, FAST);
    const reopened: number[] = [];
    ws.onReconnect((session) => {
      reopened.push(session.reconnect);
      session.send({ type: 'subscribe', topic: 'ticker' });
    });
    await ws.connect();
    await first.close();
    await until(() => ws.socketState === 'reconnecting', 'the drop');
    const queued = ws.send({ type: 'order', id: 1 });
    const second = await fixture.server({ port: first.port, onMessage: () => undefined });
    await driveUntil(() => second.received.length === 2, 'both messages');
    await queued;
    expect(second.received.map((m) => m.json)).toEqual([{ type: 'subscribe', topic: 'ticker' }, { type: 'order', id: 1 }]);
    expect(reopened).toEqual([1]);
  });

  test('a hook can make requests on the new socket before the queue is flushed', async () => {
    useFakeClock();
    const reply = { onMessage: (m: ReceivedMessage, s: WebSocket) => s.send(JSON.stringify({ id: (m.json as { id?: number }).id, ok: true })) };
    const first = await fixture.server(reply);
    const ws = fixture.connector(first.url, FAST);
    const answers: unknown[] = [];
    ws.onReconnect(async (session) => {
      answers.push(await session.request({ type: 'resume' }));
    });
    await ws.connect();
    await first.close();
    await until(() => ws.socketState === 'reconnecting', 'the drop');
    const second = await fixture.server({ ...reply, port: first.port });
    await driveUntil(() => ws.socketState === 'open', 'the reopen');
    expect(answers).toEqual([{ id: 1, ok: true }]);
    expect(second.received.map((m) => m.json)).toEqual([{ type: 'resume', id: 1 }]);
  });

  test('a failing hook fails that reopen: the socket is closed, the error reported, and the next round retries', async () => {
    useFakeClock();
    const first = await fixture.server({ onMessage: () => undefined });
    const ws = fixture.connector(first.url, FAST);
    const errors = record(ws, 'socketError');
    let calls = 0;
    ws.onReconnect(() => {
      if (++calls === 1) throw new Error('resubscribe failed');
    });
    await ws.connect();
    await first.close();
    await until(() => ws.socketState === 'reconnecting', 'the drop');
    const second = await fixture.server({ port: first.port, onMessage: () => undefined });
    await driveUntil(() => ws.socketState === 'open', 'the reopen');
    expect(calls).toBe(2);
    expect(errors).toEqual([{ connector: 'feed', error: { code: 'WEBSOCKET', message: 'resubscribe failed' } }]);
    expect(second.handshakes).toHaveLength(2);
  });

  test('close() during a reconnect stops it for good and fails the queued sends with NOT_CONNECTED', async () => {
    useFakeClock();
    const first = await fixture.server();
    const ws = fixture.connector(first.url, FAST);
    await ws.connect();
    await first.close();
    await until(() => ws.socketState === 'reconnecting', 'the drop');
    const queued = rejectionOf(ws.send('never'));
    await ws.close();
    expect((await queued).code).toBe('NOT_CONNECTED');
    const second = await fixture.server({ port: first.port });
    await vi.advanceTimersByTimeAsync(60_000);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(second.handshakes).toHaveLength(0);
    expect(ws.socketState).toBe('closed');
  });

  test('close codes and reasons are surfaced: 4000 and 1000 from the server reconnect, 4401 does not, and the client closes with its own code', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start(FAST);
    const closes = record(ws, 'socketClose');
    await ws.connect();
    server.closeAll(4000, 'maintenance');
    await driveUntil(() => closes.length === 1 && ws.socketState === 'open', 'the first reopen');
    server.closeAll(1000, 'bye');
    await driveUntil(() => closes.length === 2 && ws.socketState === 'open', 'the second reopen');
    server.closeAll(4401, 'token expired');
    await until(() => closes.length === 3, 'the 4401');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ws.socketState).toBe('closed');
    expect(server.handshakes).toHaveLength(3);
    await ws.connect();
    await ws.close(4001, 'done for today');
    expect(closes).toEqual([
      { connector: 'feed', code: 4000, reason: 'maintenance', byClient: false, reconnect: true },
      { connector: 'feed', code: 1000, reason: 'bye', byClient: false, reconnect: true },
      { connector: 'feed', code: 4401, reason: 'token expired', byClient: false, reconnect: false },
      { connector: 'feed', code: 4001, reason: 'done for today', byClient: true, reconnect: false },
    ]);
  });

  test('a 4401 close fails what waits with AUTH and is not reopened', async () => {
    const { server, ws } = await fixture.start({ ...FAST, correlation: { timeout: 60_000 } }, { onMessage: () => undefined });
    await ws.connect();
    const pending = rejectionOf(ws.request({ op: 'x' }));
    await until(() => server.received.length === 1, 'the request');
    server.closeAll(4401, 'token expired');
    const error = await pending;
    expect(error.code).toBe('AUTH');
    expect(error.details).toMatchObject({ closeCode: 4401, closeReason: 'token expired' });
    expect(server.handshakes).toHaveLength(1);
  });

  test('an event for each state, in order', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start(FAST);
    const states = record(ws, 'socketState');
    const opens = record(ws, 'socketOpen');
    const waits = record(ws, 'reconnecting');
    await ws.connect();
    server.dropAll();
    await driveUntil(() => opens.length === 2, 'the reopen');
    await ws.close();
    expect(states.map((s) => `${s.from}->${s.to}`)).toEqual(['idle->connecting', 'connecting->open', 'open->reconnecting', 'reconnecting->open', 'open->closing', 'closing->closed']);
    expect(opens.map((o) => o.reconnect)).toEqual([0, 1]);
    expect(opens[0]?.url).toBe(server.url + '/');
    expect(waits).toEqual([{ connector: 'feed', attempt: 1, delayMs: 100, reason: 'WEBSOCKET' }]);
  });

  test('each round opens through the chain: retry repeats a failed handshake, and after maxAttempts rounds it gives up with WEBSOCKET', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start(
      { reconnect: { maxAttempts: 3, baseDelay: 100, maxDelay: 1000, jitter: 'none' }, retry: { maxAttempts: 2, baseDelay: 10, jitter: 'none' } },
      { refuse: (_req, n) => (n === 0 ? undefined : { status: 503 }) },
    );
    const waits = record(ws, 'reconnecting');
    await ws.connect();
    server.dropAll();
    await until(() => ws.socketState === 'reconnecting', 'the drop');
    const queued = rejectionOf(ws.send('lost'));
    await driveUntil(() => ws.socketState === 'closed', 'giving up');
    const error = await queued;
    expect(error.code).toBe('WEBSOCKET');
    expect(error.message).toMatch(/gave up reopening the WebSocket to ws:\/\/127\.0\.0\.1:\d+\/ after 3 attempt\(s\); last error WEBSOCKET: .*503/);
    expect(server.handshakes.map((h) => h.status)).toEqual([101, 503, 503, 503, 503, 503, 503]);
    expect(waits.map((w) => w.delayMs)).toEqual([100, 200, 400]);
  });

  test('reconnect waits use the configured jitter: full jitter draws each wait from [0, backoff]', async () => {
    useFakeClock();
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      const { server, ws } = await fixture.start(
        { reconnect: { maxAttempts: 3, baseDelay: 100, maxDelay: 1000, jitter: 'full' }, retry: { maxAttempts: 1 } },
        { refuse: (_req, n) => (n === 0 ? undefined : { status: 503 }) },
      );
      const waits = record(ws, 'reconnecting');
      await ws.connect();
      server.dropAll();
      await until(() => ws.socketState === 'reconnecting', 'the drop');
      const queued = rejectionOf(ws.send('lost'));
      await driveUntil(() => ws.socketState === 'closed', 'giving up');
      await queued;
      expect(waits.map((w) => w.delayMs)).toEqual([25, 50, 100]);
    } finally {
      random.mockRestore();
    }
  });

  test('the circuit breaker guards opening: while open, rounds fail fast without a handshake', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start(
      { reconnect: { maxAttempts: 4, baseDelay: 100, maxDelay: 100, jitter: 'none' }, retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 2, openDuration: 10_000 } },
      { refuse: (_req, n) => (n === 0 ? undefined : { status: 503 }) },
    );
    const waits = record(ws, 'reconnecting');
    const breaker: string[] = [];
    ws.on('circuitStateChange', (e) => breaker.push(`${e.from}->${e.to}`));
    await ws.connect();
    server.dropAll();
    await driveUntil(() => waits.length === 4, 'the fourth round', 10);
    // Rounds 1 and 2 fail on the wire and open the breaker; round 3 is refused without a handshake.
    expect(server.handshakes.map((h) => h.status)).toEqual([101, 503, 503]);
    expect(waits.map((w) => w.reason)).toEqual(['WEBSOCKET', 'WEBSOCKET', 'WEBSOCKET', 'CIRCUIT_OPEN']);
    // Round 4 waits for the breaker to half-open instead of knocking on it.
    expect(waits[3]?.delayMs).toBeGreaterThan(9000);
    await driveUntil(() => ws.socketState === 'closed', 'giving up', 100);
    expect(server.handshakes.map((h) => h.status)).toEqual([101, 503, 503, 503]);
    expect(breaker).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
  });

  test('reconnect: false leaves the socket closed after a drop; the next send opens it again', async () => {
    const { server, ws } = await fixture.start({ reconnect: false });
    await ws.connect();
    server.dropAll();
    await until(() => ws.socketState === 'closed', 'the drop');
    await ws.send('hello');
    expect(await ws.receive({ timeout: 2000 })).toMatchObject({ data: 'hello' });
    expect(server.handshakes).toHaveLength(2);
  });
});
