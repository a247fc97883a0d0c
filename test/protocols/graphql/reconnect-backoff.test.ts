import { afterEach, expect, test, vi } from 'vitest';
import { drive, useFakeClock } from '../../policies/fake-clock.js';
import { startScriptedWsServer } from '../../support/graphql-ws-script.js';
import { collect, rejectionOf, useGraphQL } from './helpers.js';

const gql = useGraphQL();

afterEach(() => {
  vi.useRealTimers();
});

test('reconnections back off exponentially with the retry settings, then give up with a typed error', async () => {
  useFakeClock();
  const server = await startScriptedWsServer((message, socket) => {
    if (message.type === 'connection_init') socket.close(1012, 'restarting');
  });
  gql.cleanup(() => server.close());
  const api = gql.connector({
    baseUrl: 'http://127.0.0.1:9',
    subscriptions: { url: server.url, reconnectAttempts: 3, keepAlive: false },
    retry: { jitter: 'none', baseDelay: 1000, maxDelay: 30_000 },
  });
  const reconnects = collect(api, 'subscriptionReconnect');
  const error = await drive(rejectionOf(api.subscribe('subscription { ticks }').next()), 50);
  const inits = server.received.filter((m) => m.type === 'connection_init').map((m) => m.at);
  expect(inits).toHaveLength(4);
  const gaps = inits.slice(1).map((at, i) => at - (inits[i] as number));
  expect(gaps[0]).toBeGreaterThanOrEqual(1000);
  expect(gaps[0]).toBeLessThan(1100);
  expect(gaps[1]).toBeGreaterThanOrEqual(2000);
  expect(gaps[1]).toBeLessThan(2100);
  expect(gaps[2]).toBeGreaterThanOrEqual(4000);
  expect(gaps[2]).toBeLessThan(4100);
  expect(error).toMatchObject({ code: 'WEBSOCKET', details: { closeCode: 1012, closeReason: 'restarting' } });
  expect(error.message).toContain('reconnecting did not succeed');
  expect(reconnects).toEqual([]);
});
