import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { breakerSettings, circuitBreakerConfigSchema, type CircuitBreakerOptions } from '../../../../src/policies/breaker-schema.js';
import type { BreakerAdmission, BreakerSettings } from '../../../../src/policies/breaker-types.js';
import { circuitBreakerPolicy } from '../../../../src/policies/circuit-breaker.js';
import { RedisBreakerStore } from '../../../../src/policies/stores/redis/breaker.js';
import { startRedis, type TestRedis } from '../../../support/index.js';

let redis: TestRedis;
let clients: Redis[] = [];
let stores: RedisBreakerStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const c of clients) c.disconnect();
  stores = [];
  clients = [];
});

afterAll(() => redis.close());

/** Stores on separate connections sharing a fresh key prefix: separate processes, as Redis sees them. */
async function shared(n = 2): Promise<[RedisBreakerStore, RedisBreakerStore, RedisBreakerStore]> {
  const keyPrefix = `cb-test-${++prefixes}:`;
  const made = Array.from({ length: n }, () => {
    const client = new Redis(redis.url);
    clients.push(client);
    const store = new RedisBreakerStore(client, { keyPrefix });
    stores.push(store);
    return store;
  });
  // Subscribed before the test starts publishing.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return made as [RedisBreakerStore, RedisBreakerStore, RedisBreakerStore];
}

const settings = (options: CircuitBreakerOptions): BreakerSettings => breakerSettings(circuitBreakerConfigSchema.parse(options));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isPromise = (value: unknown): boolean => typeof (value as { then?: unknown } | null)?.then === 'function';

async function fail(store: RedisBreakerStore, s: BreakerSettings, times: number, key = 'api') {
  let last;
  for (let i = 0; i < times; i++) last = await store.record(key, Date.now(), s, 'failure', false);
  return last;
}

describe('RedisBreakerStore', () => {
  it('answers admissions of a closed breaker locally, without a round trip', async () => {
    const [a] = await shared(1);
    const s = settings({ threshold: 3 });
    expect(await a.admit('api', Date.now(), s)).toMatchObject({ admitted: true, probe: false });
    const answer = a.admit('api', Date.now(), s);
    expect(isPromise(answer)).toBe(false);
    expect(answer).toMatchObject({ admitted: true });
  });

  it('opens for every process: one records the failures, the others refuse within moments, without a round trip', async () => {
    const [a, b, c] = await shared(3);
    const s = settings({ threshold: 3, openDuration: 5000 });
    for (const store of [b, c]) await store.admit('api', Date.now(), s);
    expect(await fail(a, s, 2)).toBeUndefined();
    const opened = Date.now();
    expect(await fail(a, s, 1)).toMatchObject({ from: 'closed', to: 'open' });
    await expect.poll(() => b.snapshot('api', Date.now()).state, { interval: 5, timeout: 1000 }).toBe('open');
    await expect.poll(() => c.snapshot('api', Date.now()).state, { interval: 5, timeout: 1000 }).toBe('open');
    // Published, not re-read: far sooner than the one-second re-read.
    expect(Date.now() - opened).toBeLessThan(500);
    const refusal = b.admit('api', Date.now(), s) as BreakerAdmission;
    expect(isPromise(refusal)).toBe(false);
    expect(refusal).toMatchObject({ admitted: false, state: 'open', reason: '3 consecutive failures' });
    if (refusal.admitted) throw new Error('unreachable');
    // retryAt is in this process's clock.
    expect(refusal.retryAt - opened).toBeGreaterThan(4500);
    expect(refusal.retryAt - opened).toBeLessThanOrEqual(5100);
  });

  it('lets exactly one probe through across processes, however many ask at once', async () => {
    const [a, b] = await shared();
    const s = settings({ threshold: 1, openDuration: 200 });
    await b.admit('api', Date.now(), s);
    await fail(a, s, 1);
    await sleep(250);
    const answers = await Promise.all([a, b, a, b, a, b, a, b].map((store) => store.admit('api', Date.now(), s)));
    const probes = answers.filter((x) => x?.admitted && x.probe);
    expect(probes).toHaveLength(1);
    expect(answers.filter((x) => x?.admitted === false).every((x) => x?.admitted === false && x.state === 'half-open')).toBe(true);
    expect(answers.filter((x) => x?.admitted && x.transition !== undefined)).toHaveLength(1);
  });

  it('closes for everyone when the probe succeeds, and reopens for longer (backoff) when it fails', async () => {
    const [a, b] = await shared();
    const s = settings({ threshold: 1, openDuration: 200, backoff: { multiplier: 2, max: 10_000 } });
    await b.admit('api', Date.now(), s);
    await fail(a, s, 1);
    await sleep(250);
    expect(await a.admit('api', Date.now(), s)).toMatchObject({ admitted: true, probe: true });
    const reopened = await a.record('api', Date.now(), s, 'failure', true);
    expect(reopened).toMatchObject({ from: 'half-open', to: 'open' });
    expect((reopened?.retryAt ?? 0) - Date.now()).toBeGreaterThan(300);
    await expect.poll(() => b.snapshot('api', Date.now()).opens, { interval: 5, timeout: 1000 }).toBe(2);
    await sleep(450);
    expect(await b.admit('api', Date.now(), s)).toMatchObject({ admitted: true, probe: true });
    expect(await b.record('api', Date.now(), s, 'success', true)).toMatchObject({ from: 'half-open', to: 'closed' });
    await expect.poll(() => a.snapshot('api', Date.now()).state, { interval: 5, timeout: 1000 }).toBe('closed');
    expect(a.admit('api', Date.now(), s)).toMatchObject({ admitted: true, probe: false });
  });

  it('frees the lease of a probe that told nothing, so another caller may probe', async () => {
    const [a, b] = await shared();
    const s = settings({ threshold: 1, openDuration: 200 });
    await fail(a, s, 1);
    await sleep(250);
    expect(await a.admit('api', Date.now(), s)).toMatchObject({ admitted: true, probe: true });
    expect(await b.admit('api', Date.now(), s)).toMatchObject({ admitted: false, state: 'half-open' });
    await a.record('api', Date.now(), s, 'neutral', true);
    expect(await b.admit('api', Date.now(), s)).toMatchObject({ admitted: true, probe: true });
  });

  it('counts a success between failures: it resets the consecutive count, also from another process', async () => {
    const [a, b] = await shared();
    const s = settings({ threshold: 3 });
    await fail(a, s, 2);
    // Batched, then sent with the next failure.
    expect(a.record('api', Date.now(), s, 'success', false)).toBeUndefined();
    expect(await fail(a, s, 1)).toBeUndefined();
    expect(a.snapshot('api', Date.now()).consecutiveFailures).toBe(1);
    await fail(a, s, 1);
    await b.admit('api', Date.now(), s);
    b.record('api', Date.now(), s, 'success', false);
    await sleep(300);
    expect(await fail(a, s, 1)).toBeUndefined();
    expect(a.snapshot('api', Date.now())).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
    expect(await fail(a, s, 2)).toMatchObject({ to: 'open' });
  });

  it('does not let a success that reaches Redis late undo the failures that came after it', async () => {
    const [a, b] = await shared();
    const s = settings({ threshold: 3 });
    await b.admit('api', Date.now(), s);
    b.record('api', Date.now(), s, 'success', false);
    await sleep(5);
    // Both failures happen after the success, but reach Redis before its batch does.
    await fail(a, s, 2);
    await sleep(300);
    expect(a.snapshot('api', Date.now()).consecutiveFailures).toBe(2);
    expect(await fail(a, s, 1)).toMatchObject({ from: 'closed', to: 'open', retryAt: expect.any(Number) });
  });

  it('judges the failure rate over the last N calls of all processes', async () => {
    const [a, b] = await shared();
    const s = settings({ mode: 'rate', failureRate: 0.5, windowSize: 4, minThroughput: 4 });
    await b.admit('api', Date.now(), s);
    for (let i = 0; i < 3; i++) b.record('api', Date.now(), s, 'success', false);
    await sleep(300);
    expect(await fail(a, s, 1)).toBeUndefined(); // 1 of 4
    expect(await fail(a, s, 1)).toMatchObject({ to: 'open' }); // 2 of the last 4
    expect(a.snapshot('api', Date.now()).reason).toBe('2 of the last 4 calls failed');
  });

  it('judges the failure rate over the last windowMs', async () => {
    const [a, b] = await shared();
    const s = settings({ mode: 'rate', failureRate: 0.6, windowMs: 1000, minThroughput: 5 });
    await b.admit('api', Date.now(), s);
    for (let i = 0; i < 2; i++) b.record('api', Date.now(), s, 'success', false);
    await sleep(300);
    expect(await fail(a, s, 2)).toBeUndefined(); // 2 of 4: too few calls
    expect(await fail(a, s, 1)).toMatchObject({ to: 'open' }); // 3 of 5
    expect(a.snapshot('api', Date.now()).reason).toBe('3 of the last 5 calls failed');
  });

  it('re-reads the shared state every second in case a published change was missed', async () => {
    const [a] = await shared(1);
    const s = settings({ threshold: 3 });
    await a.admit('api', Date.now(), s);
    const reader = clients[0] as Redis;
    const key = `cb-test-${prefixes}:cb:{api}`;
    const [seconds] = await reader.time();
    await reader.hset(key, { s: 'open', v: 5, r: Number(seconds) * 1000 + 60_000, why: 'set by hand', e: '1' });
    await expect.poll(() => a.snapshot('api', Date.now()).state, { interval: 20, timeout: 2000 }).toBe('open');
    expect(a.admit('api', Date.now(), s)).toMatchObject({ admitted: false, reason: 'set by hand' });
  });

  it('restores a snapshot only where no shared state exists yet', async () => {
    const [a, b] = await shared();
    const s = settings({ threshold: 3, openDuration: 10_000 });
    const open = { state: 'open' as const, consecutiveFailures: 3, opens: 1, retryAt: Date.now() + 5000, reason: 'saved', window: [] };
    await a.restore('api', open, Date.now(), s);
    expect(await b.admit('api', Date.now(), s)).toMatchObject({ admitted: false, state: 'open', reason: 'saved' });
    await b.restore('api', { ...open, state: 'closed', retryAt: undefined }, Date.now(), s);
    expect(b.snapshot('api', Date.now()).state).toBe('open');
  });

  it('drives the CircuitBreaker policy: the opening process emits the change, the other fails fast', async () => {
    const [a, b] = await shared();
    const one = circuitBreakerPolicy({ threshold: 2, openDuration: 5000, store: a }, { name: 'users' });
    const two = circuitBreakerPolicy({ threshold: 2, openDuration: 5000, store: b }, { name: 'users' });
    const changes: string[] = [];
    using _ = one.on('circuitStateChange', (e) => changes.push(`${e.from}->${e.to}`));
    await two.execute(async () => 'ok');
    for (let i = 0; i < 2; i++) await one.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(changes).toEqual(['closed->open']);
    await expect.poll(() => two.state, { interval: 5, timeout: 1000 }).toBe('open');
    let calls = 0;
    await expect(two.execute(async () => calls++)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(calls).toBe(0);
  });
});
