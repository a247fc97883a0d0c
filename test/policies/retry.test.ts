import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ConnectorError } from '../../src/core/errors.js';
import type { Outcome, Verdict } from '../../src/core/outcome.js';
import { backoffDelay } from '../../src/policies/backoff.js';
import { RetryBudget } from '../../src/policies/retry-budget.js';
import { retryPolicy } from '../../src/policies/retry.js';
import type { ConnectorEvents } from '../../src/core/connector-events.js';
import { useFakeClock } from './fake-clock.js';

const retryable = (reason = 'boom', extra: Partial<Verdict> = {}): Verdict => ({ retryable: true, failure: true, reason, ...extra });
const fail = (message = 'boom'): ConnectorError => new ConnectorError('NETWORK', message);

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

/** Records the fake time of each attempt. */
function script<T>(steps: Array<() => T>): { fn: () => Promise<T>; times: number[] } {
  const times: number[] = [];
  let i = 0;
  const fn = async (): Promise<T> => {
    times.push(Date.now());
    const step = steps[Math.min(i++, steps.length - 1)] as () => T;
    return step();
  };
  return { fn, times };
}

describe('backoffDelay', () => {
  const options = { baseDelay: 100, maxDelay: 1000, jitter: 'none' as const };

  test('without jitter doubles from baseDelay and stops at maxDelay', () => {
    expect([1, 2, 3, 4, 5, 40].map((n) => backoffDelay(n, 0, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('full jitter is uniform between 0 and the exponential step', () => {
    expect(backoffDelay(3, 0, { ...options, jitter: 'full' }, () => 0.25)).toBe(100);
    expect(backoffDelay(3, 0, { ...options, jitter: 'full' }, () => 0)).toBe(0);
    expect(backoffDelay(5, 0, { ...options, jitter: 'full' }, () => 0.999)).toBeLessThanOrEqual(1000);
  });

  test('decorrelated jitter grows from the previous delay: base + r·(3·previous − base), capped', () => {
    const d = { ...options, jitter: 'decorrelated' as const };
    expect(backoffDelay(1, 0, d, () => 0.5)).toBe(200);
    expect(backoffDelay(2, 200, d, () => 0.5)).toBe(350);
    expect(backoffDelay(9, 900, d, () => 1)).toBe(1000);
  });
});

describe('retryPolicy', () => {
  test('retries errors with exponential backoff and hands each attempt its number', async () => {
    const { fn, times } = script([() => { throw fail(); }, () => { throw fail(); }, () => 'ok']);
    const attempts: number[] = [];
    const policy = retryPolicy({ jitter: 'none', baseDelay: 100 });
    const result = policy.execute(async (at) => (attempts.push(at.attempt), fn()));
    await vi.advanceTimersByTimeAsync(99);
    expect(times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(times.map((t) => t - (times[0] as number))).toEqual([0, 100, 300]);
  });

  test('when attempts run out it returns the last value and throws the last error', async () => {
    const classify = (o: Outcome<number>): Verdict => (o.ok && o.value < 500 ? { retryable: false, failure: false, reason: 'ok' } : retryable('status'));
    const values = script([() => 503, () => 502]);
    const last = retryPolicy({ maxAttempts: 2, jitter: 'none', baseDelay: 10 }).execute(values.fn, { classify });
    await vi.advanceTimersByTimeAsync(10);
    await expect(last).resolves.toBe(502);

    let n = 0;
    const errors = retryPolicy({ maxAttempts: 3, jitter: 'none', baseDelay: 10 }).execute(async () => {
      throw fail(`failure ${++n}`);
    });
    const settled = errors.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(30);
    expect(await settled).toMatchObject({ message: 'failure 3' });
  });

  test('does not retry what the classifier calls not retryable', async () => {
    const fn = vi.fn(async () => {
      throw new ConnectorError('INVALID_REQUEST', 'bad');
    });
    await expect(retryPolicy().execute(fn)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('waits the server-requested time instead of the backoff', async () => {
    const { fn, times } = script([() => { throw fail(); }, () => 'ok']);
    const result = retryPolicy({ jitter: 'none', baseDelay: 10 }).execute(fn, { classify: (o) => (o.ok ? { retryable: false, failure: false, reason: 'ok' } : retryable('status 429', { retryAfterMs: 1500 })) });
    await vi.advanceTimersByTimeAsync(1499);
    expect(times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
  });

  test('a requested wait above maxRetryAfter fails fast with RETRY_AFTER_TOO_LONG stating the wait', async () => {
    const fn = vi.fn(async () => {
      throw fail();
    });
    const error = await retryPolicy({ maxRetryAfter: 1000 }, { name: 'billing' })
      .execute(fn, { classify: () => retryable('status 503', { retryAfterMs: 120_000 }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RETRY_AFTER_TOO_LONG', details: { retryAfterMs: 120_000, connector: 'billing' } });
    expect((error as Error).message).toMatch(/wait 120000 ms.*maxRetryAfter \(1000 ms\)/);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('never sleeps past the deadline: the last outcome comes back at once', async () => {
    const fn = vi.fn(async () => {
      throw fail('late');
    });
    const deadline = performance.now() + 150;
    await expect(retryPolicy({ jitter: 'none', baseDelay: 200 }).execute(fn, { deadline })).rejects.toMatchObject({ message: 'late' });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('an abort ends the backoff wait at once', async () => {
    const controller = new AbortController();
    const fn = vi.fn(async () => {
      throw fail();
    });
    const result = retryPolicy({ jitter: 'none', baseDelay: 10_000 }).execute(fn, { signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5);
    controller.abort();
    expect(await result).toMatchObject({ code: 'ABORTED' });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('an abort whose reason is a ConnectorError (a timeout) surfaces that error', async () => {
    const controller = new AbortController();
    const result = retryPolicy({ jitter: 'none', baseDelay: 10_000 })
      .execute(async () => {
        throw fail();
      }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(new ConnectorError('TIMEOUT', 'total'));
    expect(await result).toMatchObject({ code: 'TIMEOUT' });
  });

  test('shouldRetry widens and narrows the verdict', async () => {
    const notRetryable = vi.fn(async () => {
      throw new ConnectorError('HTTP_STATUS', 'conflict', { retryable: false });
    });
    const widened = retryPolicy({ maxAttempts: 2, baseDelay: 0, shouldRetry: (v) => (v.reason === 'HTTP_STATUS' ? true : undefined) }).execute(notRetryable).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    await widened;
    expect(notRetryable).toHaveBeenCalledTimes(2);

    const isRetryable = vi.fn(async () => {
      throw fail();
    });
    await retryPolicy({ shouldRetry: () => false }).execute(isRetryable).catch(() => undefined);
    expect(isRetryable).toHaveBeenCalledTimes(1);
  });

  test('emits a retry event per retry with attempt, delay and reason; disposing unsubscribes', async () => {
    const policy = retryPolicy({ jitter: 'none', baseDelay: 50 }, { name: 'users' });
    const seen: ConnectorEvents['retry'][] = [];
    const sub = policy.on('retry', (e) => seen.push(e));
    const { fn } = script([() => { throw fail(); }, () => { throw fail(); }, () => 1]);
    const run = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(150);
    await run;
    expect(seen).toEqual([
      { connector: 'users', attempt: 2, delayMs: 50, reason: 'NETWORK' },
      { connector: 'users', attempt: 3, delayMs: 100, reason: 'NETWORK' },
    ]);
    sub.dispose();
    const again = script([() => { throw fail(); }, () => 1]);
    const second = policy.execute(again.fn);
    await vi.advanceTimersByTimeAsync(50);
    await second;
    expect(seen).toHaveLength(2);
  });
});

describe('retry budget', () => {
  test('allows ratio · calls + the floor per window, then stops retrying until the window moves on', async () => {
    const budget = new RetryBudget({ ratio: 0.5, windowMs: 1000, minPerSecond: 1 });
    const now = Date.now();
    for (let i = 0; i < 4; i++) budget.recordCall(now);
    // 1 (floor) + 0.5 · 4 calls = 3 retries.
    expect([budget.tryRetry(now), budget.tryRetry(now), budget.tryRetry(now), budget.tryRetry(now)]).toEqual([true, true, true, false]);
    expect(budget.tryRetry(now + 999)).toBe(false);
    expect(budget.tryRetry(now + 1000)).toBe(true);
  });

  test('stops a retry storm: an exhausted budget returns the first failure without retrying', async () => {
    const policy = retryPolicy({ jitter: 'none', baseDelay: 10, budget: { ratio: 0, windowMs: 1000, minPerSecond: 1 } });
    const first = vi.fn(async () => {
      throw fail();
    });
    const run = policy.execute(first).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    await run;
    // One retry a second is the floor: the first call spent it on its second attempt.
    expect(first).toHaveBeenCalledTimes(2);

    const second = vi.fn(async () => {
      throw fail();
    });
    await policy.execute(second).catch(() => undefined);
    expect(second).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(1000);
    const third = vi.fn(async () => {
      throw fail();
    });
    const later = policy.execute(third).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    await later;
    expect(third).toHaveBeenCalledTimes(2);
  });
});
