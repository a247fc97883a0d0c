import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, useSandbox } from './helpers.js';

const fixture = useSandbox();

afterEach(() => {
  vi.useRealTimers();
});

describe('sandbox flaky endpoint', () => {
  it('fails with 503 twice, then recovers, then starts over', async () => {
    const sandbox = await fixture.start();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(`${sandbox.urls.rest}/flaky`)).status);
    expect(statuses).toEqual([503, 503, 200, 503, 503, 200]);
  });

  it('keeps a separate streak per key and honours ?failures=', async () => {
    const sandbox = await fixture.start({ flakyFailures: 1 });
    expect((await call(`${sandbox.urls.rest}/flaky?key=a`)).status).toBe(503);
    expect((await call(`${sandbox.urls.rest}/flaky?key=b`)).status).toBe(503);
    expect((await call(`${sandbox.urls.rest}/flaky?key=a`)).status).toBe(200);
    expect((await call(`${sandbox.urls.rest}/flaky?key=c&failures=0`)).status).toBe(200);
  });
});

describe('sandbox rate-limited endpoint', () => {
  it('answers 429 with Retry-After beyond the window limit and lets calls through once the window passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sandbox = await fixture.start({ rateLimit: { limit: 3, windowMs: 1000 } });
    const url = `${sandbox.urls.rest}/limited`;
    const first = await call(url);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect((await call(`${url}/x`)).status).toBe(200);
    expect((await call(url)).status).toBe(200);
    const limited = await call(url);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    vi.setSystemTime(Date.now() + 999);
    expect((await call(url)).status).toBe(429);
    vi.setSystemTime(Date.now() + 1);
    expect((await call(url)).status).toBe(200);
  });

  it('rounds a longer wait up to whole seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sandbox = await fixture.start({ rateLimit: { limit: 1, windowMs: 2500 } });
    await call(`${sandbox.urls.rest}/limited`);
    vi.setSystemTime(Date.now() + 400);
    expect((await call(`${sandbox.urls.rest}/limited`)).headers['retry-after']).toBe('3');
  });
});
