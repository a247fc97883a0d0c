import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ChainLayer } from '../../../src/core/chain.js';
import type { ConnectorEvents } from '../../../src/core/connector-events.js';
import type { ApiRequest, ApiResponse } from '../../../src/core/types.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { delay, json, reset, startServer, status, type ScriptedServer } from '../../support/index.js';
import { drive, until, useFakeClock } from '../../policies/fake-clock.js';

let server: ScriptedServer;
let api: RestConnector | undefined;

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  vi.useRealTimers();
  await api?.disconnect();
  api = undefined;
  await server.close();
});

function connect(options: Omit<RestConnectorOptions, 'name' | 'baseUrl'> = {}): RestConnector {
  api = createRestConnector({ name: 'api', baseUrl: server.url, ...options });
  return api;
}

function collect<K extends keyof ConnectorEvents>(connector: RestConnector, event: K): ConnectorEvents[K][] {
  const seen: ConnectorEvents[K][] = [];
  connector.on(event, (e) => seen.push(e));
  return seen;
}

describe('retry through the REST connector', () => {
  test('retries 503, 503 and returns the 200: three requests on the server, attempts 3', async () => {
    useFakeClock();
    server.route('GET', '/flaky', [status(503), status(503), json(200, { ok: true })]);
    const c = connect({ retry: { jitter: 'none', baseDelay: 100 } });
    const retries = collect(c, 'retry');
    const res = await drive(c.get('/flaky').send());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.reason])).toEqual([
      [2, 100, 'status 503'],
      [3, 200, 'status 503'],
    ]);
    const [a, b, d] = server.requests.map((r) => r.at);
    expect((b as number) - (a as number)).toBeGreaterThanOrEqual(100);
    expect((d as number) - (b as number)).toBeGreaterThanOrEqual(200);
  });
});

describe('server-requested waits', () => {
  test('429 with an HTTP-date Retry-After waits until that date, then succeeds', async () => {
    useFakeClock(Date.parse('2030-01-01T00:00:00Z'));
    const inTwoSeconds = (): string => new Date(Date.now() + 2000).toUTCString();
    server.route('GET', '/limited', [(req, res, ctx) => status(429, { 'retry-after': inTwoSeconds() })(req, res, ctx), json(200, 'done')]);
    const c = connect({ retry: { jitter: 'none', baseDelay: 10 } });
    const retries = collect(c, 'retry');
    const res = await drive(c.get('/limited').send());
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(retries).toEqual([{ connector: 'api', attempt: 2, delayMs: 2000, reason: 'status 429' }]);
    const [first, second] = server.requests.map((r) => r.at);
    expect((second as number) - (first as number)).toBeGreaterThanOrEqual(2000);
    expect((second as number) - (first as number)).toBeLessThan(2100);
  });

  test('a Retry-After above maxRetryAfter fails fast with RETRY_AFTER_TOO_LONG stating the wait', async () => {
    server.route('GET', '/later', status(503, { 'retry-after': '3600' }));
    const c = connect({ retry: { maxRetryAfter: 60_000 } });
    const error = await c.get('/later').send().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RETRY_AFTER_TOO_LONG', details: { retryAfterMs: 3_600_000, status: 503 } });
    expect((error as Error).message).toContain('3600000 ms');
    expect(server.requests).toHaveLength(1);
  });
});

describe('network faults', () => {
  test('a connection reset before any response is retried for GET', async () => {
    useFakeClock();
    server.route('GET', '/reset', [reset(), json(200, { second: true })]);
    const c = connect({ retry: { jitter: 'none', baseDelay: 50 } });
    const retries = collect(c, 'retry');
    const res = await drive(c.get('/reset').send());
    expect(res.body).toEqual({ second: true });
    expect(res.attempts).toBe(2);
    expect(retries[0]).toMatchObject({ attempt: 2, delayMs: 50, reason: 'NETWORK' });
  });

  test('a slow server: the attempt timeout ends attempt 1, releases its socket, and attempt 2 succeeds', async () => {
    useFakeClock();
    server.route('GET', '/slow', [delay(10_000, json(200, 'late')), json(200, 'fast')]);
    const c = connect({ retry: { jitter: 'none', baseDelay: 100 }, timeout: { attempt: 1000 } });
    const retries = collect(c, 'retry');
    const res = await drive(c.get('/slow').send());
    expect(res.body).toBe('fast');
    expect(res.attempts).toBe(2);
    expect(retries[0]).toMatchObject({ attempt: 2, reason: 'ATTEMPT_TIMEOUT' });
    expect(server.requests).toHaveLength(2);
    // The timed-out attempt's socket was destroyed, not left waiting for the late answer.
    expect(server.requests[1]?.socketId).not.toBe(server.requests[0]?.socketId);
    await until(() => server.openSockets === 1, 'the timed-out socket to close');
  });
});

describe('idempotency', () => {
  test('POST is not retried without an Idempotency-Key', async () => {
    server.route('POST', '/orders', status(503));
    const c = connect({ retry: { maxAttempts: 5 } });
    const res = await c.post('/orders').json({ item: 1 }).send();
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  test("idempotencyKey: 'auto' retries POST, sending the same generated key on every attempt", async () => {
    useFakeClock();
    server.route('POST', '/orders', [status(503), status(502), json(201, { id: 7 })]);
    const c = connect({ retry: { idempotencyKey: 'auto', jitter: 'none', baseDelay: 10 } });
    const res = await drive(c.post('/orders').json({ item: 1 }).send());
    expect(res.status).toBe(201);
    expect(res.attempts).toBe(3);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("idempotencyKey: 'auto' keeps a caller's own key and gives each call a new one", async () => {
    server.route('POST', '/orders', json(201, {}));
    const c = connect({ retry: { idempotencyKey: 'auto' } });
    await c.post('/orders').headers({ 'Idempotency-Key': 'mine-123' }).send();
    await c.post('/orders').send();
    await c.post('/orders').send();
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe('mine-123');
    expect(keys[1]).not.toBe(keys[2]);
  });
});

describe('circuit breaker', () => {
  test('1,000 concurrent callers against a half-open breaker: exactly one request reaches the server', async () => {
    useFakeClock();
    server.route('GET', '/svc', [status(503), json(200, 'recovered')]);
    const c = connect({ retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 1, openDuration: 1000 } });
    const changes = collect(c, 'circuitStateChange');
    expect((await c.get('/svc').send()).status).toBe(503);
    expect(changes.map((e) => e.to)).toEqual(['open']);
    await vi.advanceTimersByTimeAsync(1000);

    const calls = Array.from({ length: 1000 }, () => c.get('/svc').send().then((r) => r.status, (e: { code: string }) => e.code));
    const results = await drive(Promise.all(calls));
    expect(results.filter((r) => r === 200)).toHaveLength(1);
    expect(results.filter((r) => r === 'CIRCUIT_OPEN')).toHaveLength(999);
    expect(server.requests).toHaveLength(2);
    expect(changes.map((e) => e.to)).toEqual(['open', 'half-open', 'closed']);
  });

  test('open: calls fail fast with CIRCUIT_OPEN and retryAfterMs, without reaching the server', async () => {
    useFakeClock();
    server.route('GET', '/down', status(500));
    const c = connect({ retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 2, openDuration: 5000 } });
    await c.get('/down').send();
    await c.get('/down').send();
    await vi.advanceTimersByTimeAsync(1500);
    const error = await c.get('/down').send().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', details: { retryAfterMs: 3500, state: 'open' } });
    expect(server.requests).toHaveLength(2);
  });
});

describe('the chain order', () => {
  test('each attempt takes its own rate-limit token and records its own breaker outcome', async () => {
    useFakeClock();
    server.route('GET', '/busy', status(503));
    const c = connect({
      retry: { maxAttempts: 3, jitter: 'none', baseDelay: 100 },
      circuitBreaker: { threshold: 3, openDuration: 60_000 },
      rateLimit: { perSecond: 1, burst: 1 },
    });
    const waits = collect(c, 'rateLimited');
    const changes = collect(c, 'circuitStateChange');
    const res = await drive(c.get('/busy').send());
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(3);
    // Attempt 1 took the only token; attempts 2 and 3 each waited for one of their own.
    expect(waits.map((w) => w.waitMs)).toEqual([900, 800]);
    // Three failed attempts of one call reached the breaker's threshold of 3.
    expect(changes).toEqual([expect.objectContaining({ from: 'closed', to: 'open' })]);
    await expect(c.get('/busy').send()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(server.requests).toHaveLength(3);
  });
});

describe('rate limiter', () => {
  test('500 concurrent callers through 100/s with burst 10: no window of t ms sees more than 10 + 100·t/1000 requests', async () => {
    useFakeClock();
    server.route('GET', '/r', status(204));
    let granted = 0;
    const counter: ChainLayer<ApiRequest, ApiResponse> = {
      name: 'custom',
      middleware: (_ctx, next) => {
        granted += 1;
        return next();
      },
    };
    api = createRestConnector(
      { name: 'api', baseUrl: server.url, retry: { maxAttempts: 1 }, rateLimit: { perSecond: 100, burst: 10, maxQueue: 1000, maxWait: 10_000 } },
      { layers: [counter] },
    );
    // Connected first, so every caller reserves its token at the same instant.
    await api.connect();
    let settled = 0;
    const calls = Array.from({ length: 500 }, () => api?.get('/r').send().finally(() => settled++));
    while (settled < 500) {
      // Every granted request reaches the server before the clock moves on, so arrival times are grant times.
      await until(() => server.requests.length === granted, 'granted requests to arrive');
      await vi.advanceTimersByTimeAsync(1);
    }
    const statuses = await Promise.all(calls).then((all) => all.map((r) => r?.status));
    expect(statuses.every((s) => s === 204)).toBe(true);
    const times = server.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(times).toHaveLength(500);
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        // count ≤ 10 + 100·t with t in seconds, kept in integers: 10·count ≤ 100 + ms.
        const ms = (times[j] as number) - (times[i] as number);
        if (10 * (j - i + 1) > 100 + ms) throw new Error(`${j - i + 1} requests within ${ms} ms`);
      }
    }
    // The limit is also reached, not just respected: the last request left at 4.9 s.
    expect((times[499] as number) - (times[0] as number)).toBe(4900);
  });

  test('a full queue refuses with RATE_LIMITED instead of growing', async () => {
    server.route('GET', '/q', status(204));
    const c = connect({ retry: { maxAttempts: 1 }, rateLimit: { perSecond: 1, burst: 1, maxQueue: 0 } });
    await c.get('/q').send();
    await expect(c.get('/q').send()).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
    expect(server.requests).toHaveLength(1);
  });
});

describe('bulkhead', () => {
  test('beyond maxConcurrent and maxQueue a call fails with BULKHEAD_FULL', async () => {
    useFakeClock();
    server.route('GET', '/slow', delay(100, status(204)));
    const c = connect({ retry: { maxAttempts: 1 }, bulkhead: { maxConcurrent: 2, maxQueue: 1 } });
    const calls = Array.from({ length: 4 }, () => c.get('/slow').send().then((r) => r.status, (e: { code: string }) => e.code));
    const results = await drive(Promise.all(calls));
    expect(results).toEqual([204, 204, 204, 'BULKHEAD_FULL']);
    expect(server.requests).toHaveLength(3);
  });
});
