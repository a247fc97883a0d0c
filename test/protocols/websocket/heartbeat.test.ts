import { describe, expect, test, vi } from 'vitest';
import type { WebSocketEvents } from '../../../src/protocols/websocket/events.js';
import { driveUntil, ioTurns, until, useFakeClock, useWsFixture } from './helpers.js';

const fixture = useWsFixture();
const BEAT = { heartbeat: { interval: 1000, timeout: 500 }, reconnect: { baseDelay: 100, maxDelay: 100, jitter: 'none' as const }, retry: { maxAttempts: 1 } };

describe('heartbeat', () => {
  test('a peer that answers pings keeps the socket open', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start(BEAT);
    const closes: WebSocketEvents['socketClose'][] = [];
    ws.on('socketClose', (e) => closes.push(e));
    await ws.connect();
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await until(() => server.pings === i + 1, `ping ${i + 1}`);
    }
    await ioTurns();
    expect(closes).toEqual([]);
    expect(ws.socketState).toBe('open');
  });

  test('a peer that stops answering pings is dropped after the pong timeout (1006) and the socket is reopened', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start(BEAT, { autoPong: false });
    const closes: WebSocketEvents['socketClose'][] = [];
    const opens: WebSocketEvents['socketOpen'][] = [];
    ws.on('socketClose', (e) => closes.push(e));
    ws.on('socketOpen', (e) => opens.push(e));
    await ws.connect();
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => server.pings === 1, 'the first ping');
    await vi.advanceTimersByTimeAsync(499);
    await ioTurns();
    expect(closes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => closes.length === 1, 'the drop');
    expect(closes[0]).toEqual({ connector: 'feed', code: 1006, reason: 'no pong within 500 ms', byClient: false, reconnect: true });
    await driveUntil(() => opens.length === 2, 'the reopen');
    expect(server.handshakes).toHaveLength(2);
  });

  test('later pings do not push back the verdict on an unanswered one', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start({ ...BEAT, heartbeat: { interval: 100, timeout: 450 } }, { autoPong: false });
    const closes: WebSocketEvents['socketClose'][] = [];
    ws.on('socketClose', (e) => closes.push(e));
    await ws.connect();
    for (let t = 0; t < 5; t++) await vi.advanceTimersByTimeAsync(100);
    await until(() => server.pings >= 4, 'pings');
    await vi.advanceTimersByTimeAsync(50);
    await until(() => closes.length === 1, 'the drop 450 ms after the first ping');
  });

  test('heartbeat: false sends no pings', async () => {
    useFakeClock();
    const { server, ws } = await fixture.start({ ...BEAT, heartbeat: false });
    await ws.connect();
    await vi.advanceTimersByTimeAsync(120_000);
    await ioTurns();
    expect(server.pings).toBe(0);
  });
});

describe('healthCheck', () => {
  test('opens the socket and measures a ping round trip', async () => {
    const { ws } = await fixture.start();
    const health = await ws.healthCheck();
    expect(health.ok).toBe(true);
    expect(health.latencyMs).toBeGreaterThan(0);
    expect(ws.socketState).toBe('open');
  });

  test('reports a peer that does not answer pings, without throwing', async () => {
    useFakeClock();
    const { ws } = await fixture.start({ healthCheck: { timeout: 300 } }, { autoPong: false });
    const pending = ws.healthCheck();
    await driveUntil(() => ws.socketState === 'open', 'the open');
    await vi.advanceTimersByTimeAsync(300);
    const health = await pending;
    expect(health.ok).toBe(false);
    expect(health.error?.code).toBe('TIMEOUT');
  });

  test('reports a refused connection', async () => {
    const server = await fixture.server();
    const url = server.url;
    await server.close();
    const ws = fixture.connector(url, { retry: { maxAttempts: 1 } });
    const health = await ws.healthCheck();
    expect(health).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
  });
});
