import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RedisTokenStore } from '../../src/auth/redis-token-store.js';
import type { StoredToken } from '../../src/auth/token-store.js';
import { startRedis, type TestRedis } from '../support/index.js';

let redis: TestRedis;
let client: Redis;
const stores: RedisTokenStore[] = [];
let prefixCounter = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  client.disconnect();
  await redis.close();
});

/** A store with a prefix of its own, so tests do not see each other's keys. */
function newStore(options: { keyPrefix?: string; expiryGraceMs?: number; refreshTokenTtlMs?: number } = {}, on: Redis = client): RedisTokenStore {
  const store = new RedisTokenStore(on, { keyPrefix: `t${++prefixCounter}:`, ...options });
  stores.push(store);
  return store;
}

const sha = (key: string): string => createHash('sha256').update(key).digest('base64url');

function token(overrides: Partial<StoredToken> = {}): StoredToken {
  const now = Date.now();
  return { accessToken: 'at-unit-0123456789', tokenType: 'bearer', obtainedAt: now, expiresAt: now + 60_000, ...overrides };
}

describe('get, set, delete', () => {
  test('round-trips a token under a hashed key, refresh token and access token in one value', async () => {
    const store = newStore({ keyPrefix: 'rt:' });
    const key = 'oauth2:client_credentials|https://auth.example/token|etl|';
    const t = token({ refreshToken: 'rt-unit-abcdef', scope: 'read' });
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, t);
    expect(await store.get(key)).toEqual(t);

    const keys = await client.keys('rt:*');
    expect(keys).toEqual([`rt:token:${sha(key)}`]);
    expect(keys.join()).not.toContain('etl');
    expect(JSON.parse((await client.get(`rt:token:${sha(key)}`)) ?? '')).toEqual(t);

    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    expect(await client.keys('rt:*')).toEqual([]);
  });

  test('keys are separate per store key and per prefix', async () => {
    const a = newStore({ keyPrefix: 'pa:' });
    const b = newStore({ keyPrefix: 'pb:' });
    await a.set('k1', token({ accessToken: 'at-a-k1-xxxx' }));
    await a.set('k2', token({ accessToken: 'at-a-k2-xxxx' }));
    expect((await a.get('k1'))?.accessToken).toBe('at-a-k1-xxxx');
    expect((await a.get('k2'))?.accessToken).toBe('at-a-k2-xxxx');
    expect(await b.get('k1')).toBeUndefined();
  });

  test('an unreadable value is treated as absent', async () => {
    const store = newStore({ keyPrefix: 'bad:' });
    await client.set(`bad:token:${sha('k')}`, '{not json');
    expect(await store.get('k')).toBeUndefined();
    await client.set(`bad:token:${sha('k')}`, JSON.stringify({ accessToken: 5 }));
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('TTL', () => {
  test('a token without a refresh token expires expiryGraceMs after the token does', async () => {
    const store = newStore({ keyPrefix: 'ttl1:', expiryGraceMs: 5_000 });
    await store.set('k', token({ expiresAt: Date.now() + 20_000 }));
    const pttl = await client.pttl(`ttl1:token:${sha('k')}`);
    expect(pttl).toBeGreaterThan(24_000);
    expect(pttl).toBeLessThanOrEqual(25_000);
  });

  test('an already expired token is kept for the grace period only, and then is gone', async () => {
    const store = newStore({ keyPrefix: 'ttl2:', expiryGraceMs: 100 });
    await store.set('k', token({ expiresAt: Date.now() - 1_000 }));
    expect(await client.pttl(`ttl2:token:${sha('k')}`)).toBeLessThanOrEqual(100);
    await expect.poll(() => store.get('k'), { timeout: 2_000, interval: 25 }).toBeUndefined();
  });

  test('a token with a refresh token is kept (or kept for refreshTokenTtlMs)', async () => {
    const keep = newStore({ keyPrefix: 'ttl3:' });
    await keep.set('k', token({ expiresAt: Date.now() - 1_000, refreshToken: 'rt-keep-0123' }));
    expect(await client.pttl(`ttl3:token:${sha('k')}`)).toBe(-1);
    const bounded = newStore({ keyPrefix: 'ttl4:', refreshTokenTtlMs: 86_400_000 });
    await bounded.set('k', token({ refreshToken: 'rt-keep-0123' }));
    expect(await client.pttl(`ttl4:token:${sha('k')}`)).toBeGreaterThan(86_000_000);
  });

  test('a token without expiry has no TTL', async () => {
    const store = newStore({ keyPrefix: 'ttl5:' });
    await store.set('k', token({ expiresAt: undefined }));
    expect(await client.pttl(`ttl5:token:${sha('k')}`)).toBe(-1);
  });
});

describe('refresh lease', () => {
  test('is exclusive until released', async () => {
    const a = newStore({ keyPrefix: 'lease1:' });
    const b = newStore({ keyPrefix: 'lease1:' });
    const lease = await a.acquireRefreshLease('k', 10_000);
    expect(lease).toBeDefined();
    expect(await b.acquireRefreshLease('k', 10_000)).toBeUndefined();
    expect(await a.acquireRefreshLease('k', 10_000)).toBeUndefined();
    expect(await b.acquireRefreshLease('other', 10_000)).toBeDefined();
    await lease?.release();
    const next = await b.acquireRefreshLease('k', 10_000);
    expect(next).toBeDefined();
    const pttl = await client.pttl(`lease1:lease:${sha('k')}`);
    expect(pttl).toBeGreaterThan(9_000);
  });

  test('expires with its TTL, and a late release does not free the next owner', async () => {
    const a = newStore({ keyPrefix: 'lease2:' });
    const b = newStore({ keyPrefix: 'lease2:' });
    const first = await a.acquireRefreshLease('k', 50);
    expect(first).toBeDefined();
    await expect.poll(async () => (await b.acquireRefreshLease('k', 10_000)) !== undefined, { timeout: 2_000, interval: 20 }).toBe(true);
    await first?.release(); // too late: the lease is b's now
    expect(await client.exists(`lease2:lease:${sha('k')}`)).toBe(1);
    expect(await a.acquireRefreshLease('k', 10_000)).toBeUndefined();
  });

  test('release is idempotent', async () => {
    const store = newStore({ keyPrefix: 'lease3:' });
    const lease = await store.acquireRefreshLease('k', 10_000);
    await lease?.release();
    const other = await store.acquireRefreshLease('k', 10_000);
    await lease?.release(); // must not free `other`
    expect(other).toBeDefined();
    expect(await client.exists(`lease3:lease:${sha('k')}`)).toBe(1);
  });
});

describe('waitForUpdate', () => {
  test('wakes on a set by another store on another connection', async () => {
    const other = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      const waiting = newStore({ keyPrefix: 'w1:' });
      const writer = newStore({ keyPrefix: 'w1:' }, other);
      const lease = await writer.acquireRefreshLease('k', 10_000); // someone is refreshing
      const started = performance.now();
      let woke = false;
      const wait = waiting.waitForUpdate('k', 5_000).then(() => (woke = true));
      await new Promise((r) => setTimeout(r, 150));
      expect(woke).toBe(false);
      await writer.set('k', token());
      await wait;
      expect(performance.now() - started).toBeLessThan(2_000);
      await lease?.release();
    } finally {
      other.disconnect();
    }
  });

  test('does not wake for another key; ends by its timeout', async () => {
    const store = newStore({ keyPrefix: 'w2:' });
    await store.acquireRefreshLease('k', 10_000);
    const started = performance.now();
    const wait = store.waitForUpdate('k', 300);
    await new Promise((r) => setTimeout(r, 100));
    await store.set('another-key', token());
    await wait;
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('wakes when the lease is released, and at once when no lease is held', async () => {
    const store = newStore({ keyPrefix: 'w3:' });
    const lease = await store.acquireRefreshLease('k', 10_000);
    const started = performance.now();
    const wait = store.waitForUpdate('k', 5_000);
    await new Promise((r) => setTimeout(r, 100));
    await lease?.release();
    await wait;
    expect(performance.now() - started).toBeLessThan(2_000);

    const idle = performance.now();
    await store.waitForUpdate('k', 5_000);
    expect(performance.now() - idle).toBeLessThan(1_000);
  });

  test('one subscriber connection per store, ended by close() while the caller client stays open', async () => {
    const store = newStore({ keyPrefix: 'w4:' });
    await store.acquireRefreshLease('k', 10_000);
    const names = async (): Promise<string[]> => ((await client.client('LIST')) as string).split('\n').filter((l) => l.includes('cmd=subscribe') || l.includes('sub=1'));
    await Promise.all([store.waitForUpdate('k', 200), store.waitForUpdate('k', 200), store.waitForUpdate('j', 200)]);
    expect(await names()).toHaveLength(1);
    const pending = store.waitForUpdate('k', 10_000);
    await store.close();
    await pending; // woken by close
    await expect.poll(names, { timeout: 2_000 }).toHaveLength(0);
    expect(await client.ping()).toBe('PONG');
  });
});

describe('shape', () => {
  test('toJSON and inspect show the prefix, never a token or the Redis address', async () => {
    const store = newStore({ keyPrefix: 'shape:' });
    await store.set('k', token({ refreshToken: 'rt-shape-0123' }));
    await store.waitForUpdate('k', 10);
    const shown = `${JSON.stringify(store)} ${inspect(store, { depth: 10, showHidden: true })}`;
    expect(JSON.parse(JSON.stringify(store))).toEqual({ type: 'RedisTokenStore', keyPrefix: 'shape:' });
    for (const secret of ['at-unit-0123456789', 'rt-shape-0123', String(redis.port), '127.0.0.1']) expect(shown).not.toContain(secret);
  });

  test('bad options are CONFIG errors naming the field', () => {
    expect(() => new RedisTokenStore(client, {} as never)).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('keyPrefix') }));
    expect(() => new RedisTokenStore({} as never, { keyPrefix: 'x:' })).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('ioredis') }));
    expect(() => new RedisTokenStore(client, { keyPrefix: 'x:', expiryGraceMs: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('expiryGraceMs') }));
  });
});
