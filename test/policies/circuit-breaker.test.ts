import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConnectorEvents } from '../../src/core/connector-events.js';
import { ConnectorError } from '../../src/core/errors.js';
import type { Outcome, Verdict } from '../../src/core/outcome.js';
import type { BreakerStore } from '../../src/policies/breaker-types.js';
import { circuitBreakerPolicy, type CircuitBreaker } from '../../src/policies/circuit-breaker.js';
import { MemoryBreakerStore } from '../../src/policies/stores/memory-breaker.js';
import { useFakeClock } from './fake-clock.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const ok = (): Promise<string> => Promise.resolve('ok');
const down = (): Promise<never> => Promise.reject(new ConnectorError('NETWORK', 'down'));
const run = (b: CircuitBreaker, fn: () => Promise<unknown>): Promise<unknown> => b.execute(fn).catch((e: unknown) => e);
const code = (value: unknown): unknown => (value instanceof ConnectorError ? value.code : value);

function changes(b: CircuitBreaker): string[] {
  const seen: string[] = [];
  b.on('circuitStateChange', (e) => seen.push(`${e.from}->${e.to}`));
  return seen;
}

describe('consecutive mode', () => {
  test('opens after threshold failures in a row and then fails fast without calling', async () => {
    const b = circuitBreakerPolicy({ threshold: 3, openDuration: 10_000 }, { name: 'users' });
    const seen: ConnectorEvents['circuitStateChange'][] = [];
    b.on('circuitStateChange', (e) => seen.push(e));
    for (let i = 0; i < 3; i++) await run(b, down);
    expect(b.state).toBe('open');
    expect(seen).toEqual([{ connector: 'users', from: 'closed', to: 'open', retryAt: Date.now() + 10_000 }]);
    const fn = vi.fn(ok);
    await vi.advanceTimersByTimeAsync(4000);
    const error = await run(b, fn);
    expect(fn).not.toHaveBeenCalled();
    expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', retryable: false, details: { retryAfterMs: 6000, connector: 'users' } });
    expect((error as Error).message).toContain('3 consecutive failures');
  });

  test('a success while closed resets the consecutive count', async () => {
    const b = circuitBreakerPolicy({ threshold: 3 });
    for (const fn of [down, down, ok, down, down]) await run(b, fn);
    expect(b.state).toBe('closed');
    await run(b, down);
    expect(b.state).toBe('open');
  });

  test('4xx-like outcomes (not failures) never open it; failures are what classify says', async () => {
    const classify = (o: Outcome<number>): Verdict => ({ retryable: false, failure: o.ok && o.value >= 500, reason: 'status' });
    const b = circuitBreakerPolicy({ threshold: 2 });
    for (let i = 0; i < 5; i++) await b.execute(async () => 404, { classify });
    expect(b.state).toBe('closed');
    await b.execute(async () => 500, { classify });
    await b.execute(async () => 503, { classify });
    expect(b.state).toBe('open');
  });

  test('isFailure overrides the verdict', async () => {
    const b = circuitBreakerPolicy({ threshold: 1, isFailure: (_v, o) => (o.ok ? o.value === 'degraded' : false) });
    await run(b, down);
    expect(b.state).toBe('closed');
    await b.execute(async () => 'degraded');
    expect(b.state).toBe('open');
  });
});

describe('half-open', () => {
  test('after openDuration, exactly halfOpenProbes calls pass; the rest fail fast; successes close it', async () => {
    const b = circuitBreakerPolicy({ threshold: 1, openDuration: 1000, halfOpenProbes: 3 });
    const seen = changes(b);
    await run(b, down);
    await vi.advanceTimersByTimeAsync(999);
    expect(code(await run(b, ok))).toBe('CIRCUIT_OPEN');
    await vi.advanceTimersByTimeAsync(1);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const probe = vi.fn(async () => {
      await gate;
      return 'ok';
    });
    const calls = Array.from({ length: 50 }, () => run(b, probe));
    await vi.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(3);
    release();
    const results = (await Promise.all(calls)).map(code);
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r === 'CIRCUIT_OPEN')).toHaveLength(47);
    expect(seen).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    expect(b.state).toBe('closed');
  });

  test('refused half-open callers learn when to try again', async () => {
    const b = circuitBreakerPolicy({ threshold: 1, openDuration: 2000 });
    await run(b, down);
    await vi.advanceTimersByTimeAsync(2000);
    const pending = run(b, () => new Promise(() => undefined));
    expect(await run(b, ok)).toMatchObject({ code: 'CIRCUIT_OPEN', details: { state: 'half-open', retryAfterMs: 2000 } });
    void pending;
  });

  test('a failed probe re-opens it, for longer each time with backoff, up to the max', async () => {
    const b = circuitBreakerPolicy({ threshold: 1, openDuration: 1000, backoff: { multiplier: 2, max: 3000 } });
    const retryAts: number[] = [];
    b.on('circuitStateChange', (e) => e.to === 'open' && retryAts.push((e.retryAt as number) - Date.now()));
    await run(b, down);
    for (const wait of [1000, 2000, 3000]) {
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(code(await run(b, ok))).toBe('CIRCUIT_OPEN');
      await vi.advanceTimersByTimeAsync(1);
      await run(b, down);
    }
    expect(retryAts).toEqual([1000, 2000, 3000, 3000]);
    await vi.advanceTimersByTimeAsync(3000);
    await run(b, ok);
    expect(b.state).toBe('closed');
    // Recovery resets the growth.
    await run(b, down);
    expect(retryAts.at(-1)).toBe(1000);
  });

  test('a probe that tells nothing (aborted) frees its slot for the next caller', async () => {
    const b = circuitBreakerPolicy({ threshold: 1, openDuration: 1000 });
    await run(b, down);
    await vi.advanceTimersByTimeAsync(1000);
    expect(code(await run(b, () => Promise.reject(new ConnectorError('ABORTED', 'caller gave up'))))).toBe('ABORTED');
    expect(b.state).toBe('half-open');
    expect(await run(b, ok)).toBe('ok');
    expect(b.state).toBe('closed');
  });
});

describe('rate mode', () => {
  test('count window: opens when failureRate of the last windowSize calls failed, once minThroughput is met', async () => {
    const b = circuitBreakerPolicy({ mode: 'rate', failureRate: 0.5, windowSize: 10, minThroughput: 4 });
    await run(b, down);
    await run(b, down);
    await run(b, down);
    expect(b.state).toBe('closed');
    await run(b, ok);
    for (let i = 0; i < 6; i++) await run(b, ok);
    // 3 failures in 10 calls: below 50 %.
    await run(b, down);
    expect(b.state).toBe('closed');
    // The window holds the last 10 calls: the oldest failures slide out as new ones come in.
    await run(b, down);
    await run(b, down);
    expect(b.state).toBe('closed');
    await run(b, down);
    await run(b, down);
    expect(b.state).toBe('open');
    expect(b.toJSON().reason).toMatch(/5 of the last 10 calls failed/);
  });

  test('time window: failures older than windowMs no longer count', async () => {
    const b = circuitBreakerPolicy({ mode: 'rate', failureRate: 0.5, windowMs: 10_000, minThroughput: 3 });
    await run(b, down);
    await run(b, down);
    await vi.advanceTimersByTimeAsync(10_000);
    await run(b, ok);
    await run(b, down);
    expect(b.state).toBe('closed');
    await run(b, down);
    expect(b.state).toBe('open');
  });
});

describe('state', () => {
  test('toJSON() round-trips: a restored breaker is still open until the same moment', async () => {
    const a = circuitBreakerPolicy({ threshold: 2, openDuration: 5000 });
    await run(a, down);
    await run(a, down);
    const saved = JSON.parse(JSON.stringify(a)) as ReturnType<CircuitBreaker['toJSON']>;
    expect(saved).toMatchObject({ state: 'open', consecutiveFailures: 2, opens: 1, retryAt: Date.now() + 5000 });

    const b = circuitBreakerPolicy({ threshold: 2, openDuration: 5000, initialState: saved });
    expect(b.state).toBe('open');
    await vi.advanceTimersByTimeAsync(4999);
    expect(code(await run(b, ok))).toBe('CIRCUIT_OPEN');
    await vi.advanceTimersByTimeAsync(1);
    expect(await run(b, ok)).toBe('ok');
  });

  test('a saved half-open breaker comes back open and ready to probe', async () => {
    const b = circuitBreakerPolicy({ threshold: 1 });
    b.restore({ state: 'half-open', consecutiveFailures: 1, opens: 1, retryAt: undefined, reason: 'x', window: [] });
    const seen = changes(b);
    expect(await run(b, ok)).toBe('ok');
    expect(seen).toEqual(['open->half-open', 'half-open->closed']);
  });

  test('an asynchronous store (shaped like Redis) keeps half-open to one probe', async () => {
    const memory = new MemoryBreakerStore();
    const remote: BreakerStore = {
      admit: async (...args) => memory.admit(...args),
      record: async (...args) => memory.record(...args),
      snapshot: (...args) => memory.snapshot(...args),
      restore: async (...args) => memory.restore(...args),
    };
    const b = circuitBreakerPolicy({ threshold: 1, openDuration: 100, store: remote }, { name: 'shared' });
    await run(b, down);
    expect(memory.snapshot('shared', Date.now()).state).toBe('open');
    await vi.advanceTimersByTimeAsync(100);
    const probe = vi.fn(ok);
    const results = await Promise.all(Array.from({ length: 20 }, () => run(b, probe)));
    expect(probe).toHaveBeenCalledTimes(1);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
  });
});

describe('rate-mode state', () => {
  test('a count window survives toJSON and restore, oldest first', async () => {
    const options = { mode: 'rate' as const, failureRate: 0.75, windowSize: 4, minThroughput: 4 };
    const a = circuitBreakerPolicy(options);
    for (const fn of [ok, ok, ok, down, ok, down]) await run(a, fn);
    expect(a.toJSON().window).toEqual([[0, 1, 0], [0, 1, 1], [0, 1, 0], [0, 1, 1]]);
    const b = circuitBreakerPolicy({ ...options, initialState: a.toJSON() });
    expect(b.state).toBe('closed');
    // The window holds ok, down, ok, down: one more failure makes 3 of the last 4.
    await run(b, down);
    expect(b.state).toBe('open');
  });
});
