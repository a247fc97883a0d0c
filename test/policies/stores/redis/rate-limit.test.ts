import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitSettings } from '../../../../src/policies/rate-limit-types.js';
import { RedisRateLimitStore } from '../../../../src/policies/stores/redis/rate-limit.js';
import { startRedis, type TestRedis } from '../../../support/index.js';

const TEN_PER_SECOND: RateLimitSettings = { ratePerMs: 10 / 1000, burst: 3 };
const LONG = 60_000;

let redis: TestRedis;
let first: Redis;
let second: Redis;
let prefixes = 0;

/** Two stores on two connections sharing a fresh key prefix: two processes, as Redis sees them. */
function pair(): [RedisRateLimitStore, RedisRateLimitStore] {
  const keyPrefix = `rl-test-${++prefixes}:`;
  return [new RedisRateLimitStore(first, { keyPrefix }), new RedisRateLimitStore(second, { keyPrefix })];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `n` reservations sent at once: one connection delivers them in order, so Redis serves
 * them first come first served within microseconds, however busy this machine is.
 */
function reserveMany(store: RedisRateLimitStore, n: number, settings = TEN_PER_SECOND, maxWaitMs = LONG) {
  return Promise.all(Array.from({ length: n }, () => store.reserve('api', Date.now(), settings, maxWaitMs)));
}

beforeAll(async () => {
  redis = await startRedis();
  first = new Redis(redis.url);
  second = new Redis(redis.url);
});

afterAll(async () => {
  first.disconnect();
  second.disconnect();
  await redis.close();
});

describe('RedisRateLimitStore', () => {
  it('hands out the burst at once, then reserves the next tokens one interval apart, first come first served', async () => {
    const [store] = pair();
    const reservations = await reserveMany(store, 6);
    expect(reservations.every((r) => r.reserved)).toBe(true);
    const waits = reservations.map((r) => r.waitMs);
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // Each later caller waits one more interval (100 ms) than the one before it.
    for (const [i, expected] of [[3, 100], [4, 200], [5, 300]] as const) {
      expect(waits[i]).toBeGreaterThan(expected - 10);
      expect(waits[i]).toBeLessThanOrEqual(expected);
    }
  });

  it('refuses, taking nothing, a caller whose wait would exceed maxWaitMs', async () => {
    const [store] = pair();
    const now = Date.now();
    const [, , , queued, refused, next] = await Promise.all([
      ...Array.from({ length: 4 }, () => store.reserve('api', now, TEN_PER_SECOND, LONG)),
      store.reserve('api', now, TEN_PER_SECOND, 150),
      store.reserve('api', now, TEN_PER_SECOND, LONG),
    ]);
    expect(queued).toMatchObject({ reserved: true });
    expect(refused?.reserved).toBe(false);
    expect(refused?.waitMs).toBeGreaterThan(190);
    // The refusal took no token: the next caller gets the slot the refused one was offered.
    expect(next?.reserved).toBe(true);
    expect(next?.waitMs).toBeLessThanOrEqual(refused?.waitMs as number);
    expect(next?.waitMs).toBeGreaterThan((queued?.waitMs as number) + 90);
  });

  it('release gives a reserved token back to the next caller', async () => {
    const [store] = pair();
    const now = Date.now();
    const [, , , fourth, , fifth] = await Promise.all([
      ...Array.from({ length: 4 }, () => store.reserve('api', now, TEN_PER_SECOND, LONG)),
      store.release('api', now, TEN_PER_SECOND).then(() => undefined),
      store.reserve('api', now, TEN_PER_SECOND, LONG),
    ]);
    // The fifth caller takes the token the released one gave back: it waits no longer than the fourth.
    expect(fifth?.waitMs).toBeLessThanOrEqual(fourth?.waitMs as number);
    expect(fifth?.waitMs).toBeGreaterThan(90);
  });

  it('refills while idle, never above the burst', async () => {
    const [store] = pair();
    const fivePerSecond = { ratePerMs: 5 / 1000, burst: 3 };
    await reserveMany(store, 3, fivePerSecond);
    await sleep(450);
    // Two tokens (and a quarter) came back in 450 ms.
    const refilled = (await reserveMany(store, 3, fivePerSecond)).map((r) => r.waitMs);
    expect(refilled.slice(0, 2)).toEqual([0, 0]);
    expect(refilled[2]).toBeGreaterThan(0);
    await sleep(1000);
    // A second would bring five, but the bucket holds three.
    const full = (await reserveMany(store, 4, fivePerSecond)).map((r) => r.waitMs);
    expect(full.slice(0, 3)).toEqual([0, 0, 0]);
    expect(full[3]).toBeGreaterThan(100);
  });

  it('shares one bucket between stores on separate connections', async () => {
    const [a, b] = pair();
    const slow = { ratePerMs: 1 / 1000, burst: 3 };
    expect((await a.reserve('api', Date.now(), slow, LONG)).waitMs).toBe(0);
    expect((await b.reserve('api', Date.now(), slow, LONG)).waitMs).toBe(0);
    expect((await a.reserve('api', Date.now(), slow, LONG)).waitMs).toBe(0);
    expect((await b.reserve('api', Date.now(), slow, LONG)).waitMs).toBeGreaterThan(500);
    // Another key is another bucket.
    expect((await b.reserve('other', Date.now(), TEN_PER_SECOND, LONG)).waitMs).toBe(0);
  });

  it('shares a pause: one process pauses, another waits for it', async () => {
    const [a, b] = pair();
    const now = Date.now();
    await a.pause('api', now, now + 400, TEN_PER_SECOND);
    const r = await b.reserve('api', Date.now(), TEN_PER_SECOND, LONG);
    expect(r.reserved).toBe(true);
    // The pause, then one interval for the first token of the emptied bucket (less the time since the pause).
    expect(r.waitMs).toBeGreaterThan(300);
    expect(r.waitMs).toBeLessThanOrEqual(500);
    expect((await b.reserve('api', Date.now(), TEN_PER_SECOND, 100)).reserved).toBe(false);
  });

  it("uses the Redis server's clock, not the caller's: a skewed clock changes nothing", async () => {
    const [a, b] = pair();
    const hourAhead = Date.now() + 3_600_000;
    const slow = { ratePerMs: 1 / 1000, burst: 3 };
    for (let i = 0; i < 3; i++) expect((await a.reserve('api', hourAhead, slow, LONG)).waitMs).toBe(0);
    // Had the hour-ahead clock been used, the bucket would look refilled to this caller.
    expect((await b.reserve('api', Date.now() - 3_600_000, slow, LONG)).waitMs).toBeGreaterThan(500);
    // A pause is its length from the server's now, whatever the caller's clock says; the
    // bucket is empty afterwards, so the first token comes one interval after it.
    await a.pause('paused', hourAhead, hourAhead + 300, TEN_PER_SECOND);
    const waited = await b.reserve('paused', Date.now(), TEN_PER_SECOND, LONG);
    expect(waited.waitMs).toBeGreaterThan(200);
    expect(waited.waitMs).toBeLessThanOrEqual(400);
  });

  it('lets an idle bucket expire once it would be full again', async () => {
    const keyPrefix = `rl-ttl-${++prefixes}:`;
    const store = new RedisRateLimitStore(first, { keyPrefix });
    await store.reserve('api', Date.now(), TEN_PER_SECOND, LONG);
    const ttl = await first.pttl(`${keyPrefix}rl:api`);
    // One token short: refilled in 100 ms, plus a second of grace.
    expect(ttl).toBeGreaterThan(700);
    expect(ttl).toBeLessThanOrEqual(1100);
  });
});
