import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RedisTokenStore } from '../../src/auth/redis-token-store.js';
import { startRedis, type TestRedis } from '../support/index.js';
import { CLIENT_SECRET, useOAuthFixture } from './support/oauth-fixture.js';

// In one process, two RedisTokenStore instances stand for two processes: single flight is
// per store object, so only the lease keeps them from both fetching.
const fx = useOAuthFixture();
let redis: TestRedis;
const clients: Redis[] = [];
const stores: RedisTokenStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await redis?.close();
});

/** `count` stores on one fresh key prefix, each with its own Redis connection. */
function storesOnOnePrefix(count: number): RedisTokenStore[] {
  const keyPrefix = `lease${++prefixes}:`;
  return Array.from({ length: count }, () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const store = new RedisTokenStore(client, { keyPrefix });
    stores.push(store);
    return store;
  });
}

describe('the refresh lease in the oauth2 strategy', () => {
  test('a holder that died blocks no one past its lease TTL', async () => {
    const [dead, live] = storesOnOnePrefix(2) as [RedisTokenStore, RedisTokenStore];
    await dead.acquireRefreshLease('k', 600); // never released
    const c = fx.connector({ tokenStore: live, storeKey: 'k', tokenTimeout: 300 });
    const started = performance.now();
    expect((await c.get('/me').send()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
  });

  test('a waiter gives up with a retryable AUTH error when the lease never frees', async () => {
    const [holder, waiter] = storesOnOnePrefix(2) as [RedisTokenStore, RedisTokenStore];
    await holder.acquireRefreshLease('k', 60_000);
    const c = fx.connector({ tokenStore: waiter, storeKey: 'k', tokenTimeout: 100 });
    const error = await fx.authError(c.get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: true, details: { connector: 'users' } });
    expect(error.message).toContain('another process held the refresh lease');
    expect(fx.oauth.tokenRequests).toHaveLength(0);
  });

  test('when the holder fails, a waiter takes the lease at once and fetches itself', async () => {
    await fx.restart({ clients: [{ id: 'etl', secret: CLIENT_SECRET }], delayMs: 100 });
    fx.oauth.failWith('unavailable', 1);
    const [a, b] = storesOnOnePrefix(2) as [RedisTokenStore, RedisTokenStore];
    const started = performance.now();
    const results = await Promise.allSettled([a, b].map((tokenStore) => fx.connector({ tokenStore, storeKey: 'k' }).get('/me').send()));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    // Woken by the release: the 500 ms fallback would take 100 + 500 + 100 ms at least.
    expect(performance.now() - started).toBeLessThan(650);
    for (const r of results) if (r.status === 'rejected') fx.leaks.error(r.reason);
  });

  test('two stores, 20 concurrent calls each: one token request', async () => {
    await fx.restart({ clients: [{ id: 'etl', secret: CLIENT_SECRET }], delayMs: 100 });
    const [a, b] = storesOnOnePrefix(2) as [RedisTokenStore, RedisTokenStore];
    const [ca, cb] = [fx.connector({ tokenStore: a }), fx.connector({ tokenStore: b })];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? ca : cb).get('/me').send()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
  });
});

describe('store failures and secrets', () => {
  test('Redis down: a retryable AUTH error that names the store and no secret; recovers when Redis is back', async () => {
    const [store] = storesOnOnePrefix(1) as [RedisTokenStore];
    const c = fx.connector({ tokenStore: store });
    expect((await c.get('/me').send()).status).toBe(200);
    fx.oauth.revokeAccessTokens();
    await redis.stop();
    try {
      const error = await fx.authError(c.get('/me').send());
      expect(error).toMatchObject({ code: 'AUTH', retryable: true });
      expect(error.message).toMatch(/^connector "users": the OAuth token store failed to read the token: /);
    } finally {
      await redis.start();
    }
    await expect.poll(async () => (await c.get('/me').send().catch(() => undefined))?.status, { timeout: 5_000, interval: 100 }).toBe(200);
  });

  test('no token, client secret or Redis address in toJSON, inspect or events', async () => {
    const [store] = storesOnOnePrefix(1) as [RedisTokenStore];
    const initial = fx.oauth.issueRefreshToken('etl', 'offline');
    const c = fx.connector({ grant: 'refresh_token', refreshToken: initial, tokenStore: store });
    expect((await c.get('/me').send()).status).toBe(200);
    fx.oauth.revokeAccessTokens();
    expect((await c.get('/me').send()).status).toBe(200);
    const shown = [JSON.stringify(c), inspect(c, { depth: 10 }), JSON.stringify(store), inspect(store, { depth: 10, showHidden: true })];
    for (const text of shown) {
      fx.leaks.text('toJSON/inspect', text);
      expect(text).not.toContain(redis.url);
      expect(text).not.toContain(`:${redis.port}`);
    }
    // fx checks every recorded text and event against the client secret and every issued token.
    expect(fx.leaks.leaks()).toEqual([]);
  });
});
