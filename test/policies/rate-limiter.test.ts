import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConnectorEvents } from '../../src/core/connector-events.js';
import type { Verdict } from '../../src/core/outcome.js';
import type { RateLimitStore } from '../../src/policies/rate-limit-types.js';
import { rateLimitPolicy, type RateLimiter } from '../../src/policies/rate-limiter.js';
import { MemoryRateLimitStore } from '../../src/policies/stores/memory-rate-limit.js';
import { useFakeClock } from './fake-clock.js';

let start: number;
beforeEach(() => {
  useFakeClock();
  start = Date.now();
});
afterEach(() => vi.useRealTimers());

/** Starts `n` calls and records the fake time at which each one ran. */
function burst(limiter: RateLimiter, n: number, key?: string): { ran: number[]; done: Promise<unknown[]> } {
  const ran: number[] = [];
  const done = Promise.all(
    Array.from({ length: n }, (_, i) =>
      limiter
        .execute(async () => {
          ran[i] = Date.now() - start;
        }, { key })
        .catch((e: unknown) => e),
    ),
  );
  return { ran, done };
}

describe('token bucket', () => {
  test('lets burst calls through at once, then one per interval, in arrival order', async () => {
    const limiter = rateLimitPolicy({ perSecond: 10, burst: 3 });
    const { ran, done } = burst(limiter, 6);
    await vi.advanceTimersByTimeAsync(0);
    expect(ran.filter((t) => t !== undefined)).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(300);
    await done;
    expect(ran).toEqual([0, 0, 0, 100, 200, 300]);
  });

  test('refills while idle, never above burst', async () => {
    const limiter = rateLimitPolicy({ perSecond: 10, burst: 2 });
    await burst(limiter, 2).done;
    await vi.advanceTimersByTimeAsync(10_000);
    start = Date.now();
    const { ran, done } = burst(limiter, 3);
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(ran).toEqual([0, 0, 100]);
  });

  test('rate per intervalMs: 2 per second with burst 1', async () => {
    const limiter = rateLimitPolicy({ rate: 2, intervalMs: 1000, burst: 1 });
    const { ran, done } = burst(limiter, 3);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(ran).toEqual([0, 500, 1000]);
  });

  test('a wait longer than maxWait fails at once with RATE_LIMITED and takes nothing', async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1, maxWait: 1500 });
    const { ran, done } = burst(limiter, 3);
    await vi.advanceTimersByTimeAsync(0);
    // The third would wait 2000 ms.
    await vi.advanceTimersByTimeAsync(1000);
    const results = await done;
    expect(results[2]).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 2000 } });
    expect((results[2] as Error).message).toContain('maxWait (1500 ms)');
    expect(ran.slice(0, 2)).toEqual([0, 1000]);
    expect(ran[2]).toBeUndefined();
    // Nothing was taken for the refused call: the next token is due at 2000 as before.
    const next = limiter.execute(async () => Date.now() - start);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await next).toBe(2000);
  });

  test('a full queue (maxQueue) refuses instead of growing', async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1, maxQueue: 2 });
    const { done } = burst(limiter, 4);
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    const results = await done;
    expect(results[3]).toMatchObject({ code: 'RATE_LIMITED' });
    expect((results[3] as Error).message).toContain('maxQueue 2');
    expect(limiter.waiting).toBe(0);
  });

  test("a wait past the call's deadline fails at once", async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1 });
    await limiter.execute(async () => undefined);
    const fn = vi.fn(async () => undefined);
    await expect(limiter.execute(fn, { deadline: performance.now() + 500 })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(fn).not.toHaveBeenCalled();
  });

  test('an aborted wait ends at once and gives its token back', async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1 });
    await limiter.execute(async () => undefined);
    const controller = new AbortController();
    const waiting = limiter.execute(async () => 'never', { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await waiting).toMatchObject({ code: 'ABORTED' });
    expect(limiter.waiting).toBe(0);
    // The returned token means the next caller waits only for the one due at 1000.
    const next = limiter.execute(async () => Date.now() - start);
    await vi.advanceTimersByTimeAsync(900);
    expect(await next).toBe(1000);
  });

  test('keys have separate buckets', async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1 });
    const a = burst(limiter, 2, '/a');
    const b = burst(limiter, 1, '/b');
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all([a.done, b.done]);
    expect(a.ran).toEqual([0, 1000]);
    expect(b.ran).toEqual([0]);
  });

  test('emits rateLimited for waits and refusals', async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1, maxQueue: 1 }, { name: 'search' });
    const seen: ConnectorEvents['rateLimited'][] = [];
    limiter.on('rateLimited', (e) => seen.push(e));
    const { done } = burst(limiter, 3, '/q');
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(seen).toEqual([
      { connector: 'search', waitMs: 1000, key: '/q', rejected: false },
      { connector: 'search', waitMs: 2000, key: '/q', rejected: true },
    ]);
  });
});

describe('adaptive', () => {
  const says = (verdict: Partial<Verdict>) => () => ({ retryable: false, failure: false, reason: 'ok', ...verdict });

  test('pauses when the server says none remain; callers already queued shift by the pause and keep their spacing', async () => {
    const limiter = rateLimitPolicy({ perSecond: 10, burst: 1, adaptive: true });
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const first = limiter.execute(() => answered, { classify: says({ rateLimit: { limit: 100, remaining: 0, resetMs: 5000 } }) });
    const queued = [1, 2].map(() => limiter.execute(async () => Date.now() - start, { classify: says({}) }));
    await vi.advanceTimersByTimeAsync(0);
    answer();
    await first;
    const later = limiter.execute(async () => Date.now() - start);
    let early = false;
    void Promise.race(queued).then(() => (early = true));
    await vi.advanceTimersByTimeAsync(5099);
    expect(early).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    // Due at 100 and 200 before the pause; 5000 ms later after it; the newcomer queues behind them.
    expect(await Promise.all(queued)).toEqual([5100, 5200]);
    expect(await later).toBe(5300);
  });

  test('a 429-style verdict with a requested wait pauses the bucket', async () => {
    const limiter = rateLimitPolicy({ perSecond: 100, burst: 5, adaptive: true });
    await limiter.execute(async () => 'limited', { classify: () => ({ retryable: true, failure: false, reason: 'status 429', retryAfterMs: 2000 }) });
    const next = limiter.execute(async () => Date.now() - start);
    await vi.advanceTimersByTimeAsync(2100);
    expect(await next).toBeGreaterThanOrEqual(2000);
  });

  test('without adaptive the headers are ignored', async () => {
    const limiter = rateLimitPolicy({ perSecond: 100, burst: 5 });
    await limiter.execute(async () => 'x', { classify: says({ rateLimit: { remaining: 0, resetMs: 5000 } }) });
    expect(await limiter.execute(async () => Date.now() - start)).toBe(0);
  });
});

describe('stores', () => {
  test('an asynchronous store (shaped like Redis) gives the same schedule', async () => {
    const memory = new MemoryRateLimitStore();
    const remote: RateLimitStore = {
      reserve: async (...args) => memory.reserve(...args),
      release: async (...args) => memory.release(...args),
      pause: async (...args) => memory.pause(...args),
    };
    const limiter = rateLimitPolicy({ perSecond: 10, burst: 2, store: remote });
    const { ran, done } = burst(limiter, 4);
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(ran).toEqual([0, 0, 100, 200]);
  });

  test('the memory store drops refilled buckets, so many keys do not grow memory without bound', () => {
    const store = new MemoryRateLimitStore();
    const settings = { ratePerMs: 1, burst: 1 };
    const now = Date.now();
    for (let i = 0; i < 10_000; i++) store.reserve(`k${i}`, now, settings, 0);
    expect(store.size).toBe(10_000);
    // 1 ms later every bucket has refilled; full buckets are swept when a new key arrives.
    store.reserve('late', now + 1, settings, 0);
    expect(store.size).toBe(1);
  });
});
