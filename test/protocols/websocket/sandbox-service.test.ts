import { afterEach, describe, expect, test, vi } from 'vitest';
import { startWebSocketService, type WebSocketService } from '../../../src/sandbox/websocket-service.js';
import { driveUntil, rejectionOf, useFakeClock, useWsFixture } from './helpers.js';

const fixture = useWsFixture();
let service: WebSocketService | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await service?.close();
  service = undefined;
});

describe('the sandbox WebSocket service', () => {
  test('answers requests with ids, and errors for unknown methods', async () => {
    service = await startWebSocketService();
    const ws = fixture.connector(service.url, { endpoint: '/ws' });
    const answers = await Promise.all([
      ws.request({ method: 'add', params: [1, 2, 3] }),
      ws.request({ method: 'upper', params: ['ada'] }),
      ws.request({ method: 'nope' }),
    ]);
    expect(answers).toEqual([
      { id: 1, result: 6 },
      { id: 2, result: 'ADA' },
      { id: 3, error: { code: 'UNKNOWN_METHOD', message: 'unknown method "nope"; use echo, add or upper' } },
    ]);
  });

  test('streams a deterministic ticker after a subscription', async () => {
    useFakeClock();
    service = await startWebSocketService({ tickIntervalMs: 100 });
    const ws = fixture.connector(service.url, { endpoint: '/ws' });
    await ws.send({ type: 'subscribe', topic: 'ACME', count: 3 });
    const got: unknown[] = [];
    const reading = (async () => {
      for await (const m of ws.stream<{ type: string }>()) {
        got.push(m.data);
        if (m.type === 'json' && m.data.type === 'done') break;
      }
    })();
    await driveUntil(() => got.length === 5, 'the ticks', 50);
    await reading;
    expect(got).toEqual([
      { type: 'subscribed', topic: 'ACME', count: 3, interval_ms: 100 },
      { type: 'tick', topic: 'ACME', seq: 1, price: 101.74 },
      { type: 'tick', topic: 'ACME', seq: 2, price: 103.29 },
      { type: 'tick', topic: 'ACME', seq: 3, price: 104.51 },
      { type: 'done', topic: 'ACME', ticks: 3 },
    ]);
  });

  test('/echo sends text and bytes back; other paths are refused at the handshake', async () => {
    service = await startWebSocketService();
    const echo = fixture.connector(service.url, { endpoint: '/echo' });
    await echo.send('plain');
    expect(await echo.receive({ timeout: 2000 })).toEqual({ type: 'text', data: 'plain', invalidJson: true });
    const lost = fixture.connector(service.url, { endpoint: '/nowhere', retry: { maxAttempts: 1 } });
    const error = await rejectionOf(lost.connect());
    expect(error.code).toBe('WEBSOCKET');
    expect(error.message).toMatch(/answered the WebSocket handshake with 404 instead of 101; check endpoint/);
  });

  test('with a token, the handshake needs it (header or query)', async () => {
    service = await startWebSocketService({ token: 'sandbox-token-42' });
    const without = fixture.connector(service.url, { endpoint: '/ws' });
    expect((await rejectionOf(without.connect())).code).toBe('AUTH');
    const header = fixture.connector(service.url, { endpoint: '/ws', auth: { type: 'bearer', token: 'sandbox-token-42' } });
    await header.connect();
    const query = fixture.connector(service.url, { endpoint: '/ws', auth: { type: 'bearer', token: 'sandbox-token-42' }, authIn: 'query' });
    await query.connect();
    expect(service.connections).toBe(2);
  });
});
