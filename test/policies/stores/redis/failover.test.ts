import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../../../src/auth/redis-token-store.js';
import type { ConnectorEvents } from '../../../../src/core/connector-events.js';
import { isConnectorError } from '../../../../src/core/errors.js';
import { TypedEvents } from '../../../../src/core/events.js';
import { circuitBreakerPolicy } from '../../../../src/policies/circuit-breaker.js';
import { rateLimitPolicy } from '../../../../src/policies/rate-limiter.js';
import type { StoreErrorPolicy } from '../../../../src/policies/store-schema.js';
import { createRedisStores, type RedisStores } from '../../../../src/policies/stores/redis/stores.js';
import { startRedis, type TestRedis } from '../../../support/index.js';

let redis: TestRedis;
let stopped = false;
let holders: RedisStores[] = [];
let prefixes = 0;
const TIMEOUT_MS = 250;

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  if (stopped) await start();
  await Promise.all(holders.map((h) => h.close()));
  holders = [];
});

afterAll(() => redis.close());

async function stop(): Promise<void> {
  stopped = true;
  await redis.stop();
}

async function start(): Promise<void> {
  await redis.start();
  stopped = false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `n` holders on their own connections sharing a fresh key prefix: `n` processes, as Redis
 * sees them. The command timeout is generous unless a test measures it, so that a loaded
 * machine does not look like an outage.
 */
async function processes(n: number, onStoreError: StoreErrorPolicy, commandTimeoutMs = 1000): Promise<RedisStores[]> {
  const keyPrefix = `fo-${++prefixes}:`;
  const made = Array.from({ length: n }, () => createRedisStores({ url: redis.url, keyPrefix, onStoreError, commandTimeoutMs }));
  holders.push(...made);
  for (const holder of made) expect(await holder.ready(5000)).toBe(true);
  return made;
}

/** Collects a holder's store events. */
function events(holder: RedisStores): string[] {
  const seen: string[] = [];
  holder.on('storeError', (e) => seen.push(`error ${e.connector} ${e.store} ${e.policy}: ${e.message}`));
  holder.on('storeRecovered', (e) => seen.push(`recovered ${e.connector} ${e.store}`));
  return seen;
}

/** Calls `call` from `callers` loops for `ms` and returns how many succeeded; every failure is kept. */
async function hammer(call: () => Promise<unknown>, ms: number, callers = 4): Promise<{ ok: number; errors: unknown[] }> {
  const end = Date.now() + ms;
  let ok = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < end) {
        try {
          await call();
          ok += 1;
        } catch (error) {
          errors.push(error);
          await sleep(5);
        }
      }
    }),
  );
  return { ok, errors };
}

/** Redis's own process id, to freeze it (SIGSTOP): a server that accepts but never answers. */
async function redisPid(): Promise<number> {
  const client = new Redis(redis.url);
  const info = await client.info('server');
  client.disconnect();
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

describe("onStoreError: 'local'", () => {
  it('keeps serving at this process\'s share of the limit while Redis is down, then returns to the shared bucket', { timeout: 20_000 }, async () => {
    const [a, b] = (await processes(2, 'local')) as [RedisStores, RedisStores];
    await expect.poll(() => a.processes, { timeout: 3000 }).toBe(2);
    const seen = events(a);
    const own = a.forConnector('api');
    const connectorEvents = new TypedEvents<ConnectorEvents>();
    const routed: ConnectorEvents['storeError'][] = [];
    connectorEvents.on('storeError', (e) => routed.push(e));
    own.attach(connectorEvents);
    const limiter = rateLimitPolicy({ perSecond: 40, burst: 4, store: own.rateLimitStore() }, { name: 'api' });

    await stop();
    const degraded = await hammer(() => limiter.execute(async () => undefined), 1000);
    expect(degraded.errors).toEqual([]);
    // Half of 40/s (two live processes) with half the burst: about 22 in a second, not 44.
    expect(degraded.ok).toBeGreaterThanOrEqual(12);
    expect(degraded.ok).toBeLessThanOrEqual(28);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^error api rateLimit local: /);
    expect(seen[0]).not.toContain('redis://');
    expect(routed).toMatchObject([{ connector: 'api', store: 'rateLimit', policy: 'local' }]);
    expect(a.available).toBe(false);

    await start();
    await expect.poll(() => seen.at(-1), { timeout: 3000 }).toBe('recovered api rateLimit');
    await expect.poll(() => b.available, { timeout: 3000 }).toBe(true);
    // Shared again: what one process takes, the other does not get.
    const settings = { ratePerMs: 1 / 1000, burst: 2 };
    const [sa, sb] = [a.forConnector('x').rateLimitStore(), b.forConnector('x').rateLimitStore()];
    expect(await sa.reserve('x', Date.now(), settings, 0)).toMatchObject({ reserved: true, waitMs: 0 });
    expect(await sa.reserve('x', Date.now(), settings, 0)).toMatchObject({ reserved: true, waitMs: 0 });
    expect(await sb.reserve('x', Date.now(), settings, 0)).toMatchObject({ reserved: false });
  });

  it('runs the breaker in this process from the last shared state while Redis is down', { timeout: 20_000 }, async () => {
    const [a] = (await processes(1, 'local')) as [RedisStores];
    const breaker = circuitBreakerPolicy({ threshold: 2, openDuration: 60_000, store: a.forConnector('api').breakerStore() }, { name: 'api' });
    for (let i = 0; i < 2; i++) await breaker.execute(() => Promise.reject(new Error('upstream down'))).catch(() => undefined);
    expect(breaker.state).toBe('open');
    await stop();
    let calls = 0;
    await expect(breaker.execute(async () => calls++)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(calls).toBe(0);
  });
});

describe("onStoreError: 'fail_open'", () => {
  it('admits every call through the limiter and the breaker while Redis is down', { timeout: 20_000 }, async () => {
    const [a] = (await processes(1, 'fail_open')) as [RedisStores];
    const seen = events(a);
    const own = a.forConnector('api');
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1, maxWait: 0, store: own.rateLimitStore() }, { name: 'api' });
    const breaker = circuitBreakerPolicy({ threshold: 1, openDuration: 60_000, store: own.breakerStore() }, { name: 'api' });
    await limiter.execute(async () => undefined);
    await expect(limiter.execute(async () => undefined)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await breaker.execute(() => Promise.reject(new Error('upstream down'))).catch(() => undefined);
    expect(breaker.state).toBe('open');

    await stop();
    for (let i = 0; i < 20; i++) await limiter.execute(async () => undefined);
    await expect(breaker.execute(async () => 'through')).resolves.toBe('through');
    expect(seen.filter((e) => e.startsWith('error')).sort()).toEqual([
      expect.stringMatching(/^error api circuitBreaker fail_open: /),
      expect.stringMatching(/^error api rateLimit fail_open: /),
    ]);

    await start();
    await expect.poll(() => seen.filter((e) => e.startsWith('recovered')).length, { timeout: 3000 }).toBe(2);
    // The limit applies again (Redis came back empty: a fresh bucket of one token).
    await limiter.execute(async () => undefined);
    await expect(limiter.execute(async () => undefined)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe("onStoreError: 'fail_closed'", () => {
  it('fails each call with STORE_UNAVAILABLE within the command timeout, also when Redis hangs, and recovers', { timeout: 20_000 }, async () => {
    const [a] = (await processes(1, 'fail_closed', TIMEOUT_MS)) as [RedisStores];
    const seen = events(a);
    const own = a.forConnector('api');
    const limiter = rateLimitPolicy({ perSecond: 1000, store: own.rateLimitStore() }, { name: 'api' });
    const breaker = circuitBreakerPolicy({ threshold: 5, store: own.breakerStore() }, { name: 'api' });
    const call = () => breaker.execute(() => limiter.execute(async () => 'ok'));
    expect(await call()).toBe('ok');

    const settles = async (): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const error = await call().then(() => undefined, (e: unknown) => e);
        times.push(performance.now() - started);
        expect(isConnectorError(error) && error.code).toBe('STORE_UNAVAILABLE');
        expect(isConnectorError(error) && error.retryable).toBe(true);
        expect(String((error as Error).message)).not.toContain(redis.url);
      }
      return times;
    };

    // A frozen server accepts the connection but never answers: only the command timeout ends the wait.
    const pid = await redisPid();
    process.kill(pid, 'SIGSTOP');
    try {
      for (const ms of await settles()) expect(ms).toBeLessThan(TIMEOUT_MS + 150);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await expect.poll(() => a.available, { timeout: 3000 }).toBe(true);
    expect(await call()).toBe('ok');

    // A server that is gone: refused at once.
    await stop();
    for (const ms of await settles()) expect(ms).toBeLessThan(TIMEOUT_MS + 150);
    expect(seen.filter((e) => e.startsWith('error')).length).toBeGreaterThanOrEqual(2);
    await start();
    await expect.poll(() => a.available, { timeout: 3000 }).toBe(true);
    expect(await call()).toBe('ok');
    expect(seen.at(-1)).toMatch(/^recovered /);
  });
});

describe('token store failover', () => {
  it('keeps the last token and leases refreshes in-process while Redis is down (local), fails closed with fail_closed', { timeout: 20_000 }, async () => {
    const [local, closed] = [(await processes(1, 'local'))[0], (await processes(1, 'fail_closed'))[0]] as [RedisStores, RedisStores];
    const shared = new RedisTokenStore(local.client, { keyPrefix: 'tok:' });
    const tokens = local.forConnector('api').tokenStore(shared);
    const strict = closed.forConnector('api').tokenStore(new RedisTokenStore(closed.client, { keyPrefix: 'tok:' }));
    const token = { accessToken: 'at-1', tokenType: 'bearer', obtainedAt: Date.now(), expiresAt: Date.now() + 60_000 };
    await tokens.set('k', token);
    expect(await strict.get('k')).toEqual(token);

    await stop();
    expect(await tokens.get('k')).toEqual(token);
    const lease = await tokens.acquireRefreshLease?.('k', 5000);
    expect(lease).toBeDefined();
    expect(await tokens.acquireRefreshLease?.('k', 5000)).toBeUndefined();
    const waited = tokens.waitForUpdate?.('k', 5000);
    await lease?.release();
    await waited;
    await expect(strict.get('k')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', details: { store: 'token' } });

    await start();
    await expect.poll(() => local.available && closed.available, { timeout: 3000 }).toBe(true);
    // Redis restarted empty: the shared store is used again.
    expect(await strict.get('k')).toBeUndefined();
    await shared.close();
  });
});
