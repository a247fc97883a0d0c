import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConnectorEvents } from '../../src/core/connector-events.js';
import { bulkheadPolicy } from '../../src/policies/bulkhead.js';
import { useFakeClock } from './fake-clock.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

/** A call that runs until `finish(i)` is called, recording the order calls started in. */
function gated() {
  const started: number[] = [];
  const finishers = new Map<number, () => void>();
  const call = (i: number) => async (): Promise<number> => {
    started.push(i);
    await new Promise<void>((resolve) => finishers.set(i, resolve));
    return i;
  };
  const finish = async (i: number): Promise<void> => {
    finishers.get(i)?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { started, call, finish };
}

describe('bulkhead', () => {
  test('runs at most maxConcurrent at once and hands freed slots to the queue in arrival order', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 2, maxQueue: 10 });
    const { started, call, finish } = gated();
    const results = [0, 1, 2, 3, 4].map((i) => bulkhead.execute(call(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1]);
    expect([bulkhead.active, bulkhead.queued]).toEqual([2, 3]);
    await finish(1);
    expect(started).toEqual([0, 1, 2]);
    // A newcomer does not overtake the queue.
    const late = bulkhead.execute(call(9));
    await finish(0);
    expect(started).toEqual([0, 1, 2, 3]);
    for (const i of [2, 3, 4, 9]) await finish(i);
    expect(await Promise.all([...results, late])).toEqual([0, 1, 2, 3, 4, 9]);
    expect([bulkhead.active, bulkhead.queued]).toEqual([0, 0]);
  });

  test('beyond the queue a call fails at once with BULKHEAD_FULL', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 1, maxQueue: 1 }, { name: 'reports' });
    const { call } = gated();
    void bulkhead.execute(call(0));
    void bulkhead.execute(call(1));
    const error = await bulkhead.execute(call(2)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BULKHEAD_FULL', details: { connector: 'reports', active: 1, queued: 1 } });
    expect((error as Error).message).toMatch(/maxQueue 1/);
  });

  test('a queued call gives up after maxWait with BULKHEAD_FULL', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 1, maxQueue: 5, maxWait: 1000 });
    const { call } = gated();
    void bulkhead.execute(call(0));
    const waiting = bulkhead.execute(call(1)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(bulkhead.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toMatchObject({ code: 'BULKHEAD_FULL', details: { waitedMs: 1000 } });
    expect(bulkhead.queued).toBe(0);
  });

  test('an aborted waiter leaves the queue and the slot goes to the next one', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 1, maxQueue: 5 });
    const { started, call, finish } = gated();
    void bulkhead.execute(call(0));
    const controller = new AbortController();
    const aborted = bulkhead.execute(call(1), { signal: controller.signal }).catch((e: unknown) => e);
    const next = bulkhead.execute(call(2));
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'ABORTED' });
    expect(bulkhead.queued).toBe(1);
    await finish(0);
    expect(started).toEqual([0, 2]);
    await finish(2);
    expect(await next).toBe(2);
  });

  test('a slot is freed when the call throws', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 1 });
    await expect(bulkhead.execute(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(bulkhead.active).toBe(0);
    expect(await bulkhead.execute(async () => 'free')).toBe('free');
  });

  test('emits bulkhead events for queueing and refusal', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 1, maxQueue: 1 }, { name: 'b' });
    const seen: ConnectorEvents['bulkhead'][] = [];
    bulkhead.on('bulkhead', (e) => seen.push(e));
    const { call } = gated();
    void bulkhead.execute(call(0));
    void bulkhead.execute(call(1));
    await bulkhead.execute(call(2)).catch(() => undefined);
    expect(seen).toEqual([
      { connector: 'b', active: 1, queued: 1, rejected: false },
      { connector: 'b', active: 1, queued: 1, rejected: true },
    ]);
  });
});
