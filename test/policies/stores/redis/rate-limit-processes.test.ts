import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../support/index.js';
import { forkFixture, type Child } from './processes.js';

const RATE = 200;
const BURST = 10;
const DURATION_MS = 5000;
const PROCESSES = 4;

let redis: TestRedis;
let children: Child[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await redis.close();
});

/** The most stamps (sorted) inside any window of `ms`. */
function largestInWindow(sorted: number[], ms: number): number {
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= ms) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('a rate limit shared through Redis by four processes', () => {
  it(`holds ${RATE}/s with a burst of ${BURST} across all of them for ${DURATION_MS / 1000} s`, { timeout: 30_000 }, async () => {
    const env = { REDIS_URL: redis.url, KEY_PREFIX: 'procs:', RATE, BURST, DURATION_MS, CALLERS: 8 };
    children = Array.from({ length: PROCESSES }, () => forkFixture('limiter-child.mjs', env));
    for (const child of children) expect(await child.next(20_000)).toEqual({ ready: true });
    const startAt = Date.now() + 200;
    for (const child of children) child.send({ startAt });
    const results = await Promise.all(children.map((c) => c.next<{ reservedFor: number[]; ran: number }>(DURATION_MS + 10_000)));

    const window = (t: number) => t >= startAt && t < startAt + DURATION_MS;
    const stamps = results.flatMap((r) => r.reservedFor).filter(window).sort((a, b) => a - b);
    const ideal = BURST + RATE * (DURATION_MS / 1000);
    expect(stamps.length).toBeGreaterThanOrEqual(Math.floor(ideal * 0.97));
    expect(stamps.length).toBeLessThanOrEqual(Math.ceil(ideal * 1.03));
    // Every process got tokens: they compete for one bucket rather than each having its own.
    for (const r of results) expect(r.reservedFor.filter(window).length).toBeGreaterThan(ideal / PROCESSES / 3);
    // A token bucket never admits more than burst + rate × w in any window w. Stamps are
    // taken when the reply is handled, so allow 20 ms of event-loop delay between them.
    for (const ms of [50, 100, 250, 1000]) {
      expect(largestInWindow(stamps, ms), `largest in ${ms} ms`).toBeLessThanOrEqual(BURST + Math.ceil((RATE * (ms + 20)) / 1000));
    }
  });
});
