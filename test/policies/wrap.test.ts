import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { compose } from '../../src/core/compose.js';
import { LAYER_ORDER, orderLayers } from '../../src/core/chain.js';
import { ConnectorError } from '../../src/core/errors.js';
import type { CallContext } from '../../src/core/middleware.js';
import { circuitBreakerPolicy } from '../../src/policies/circuit-breaker.js';
import { defaultClassify, wrap, type Policy } from '../../src/policies/policy.js';
import { policyLayer } from '../../src/policies/policy-layer.js';
import { rateLimitPolicy } from '../../src/policies/rate-limiter.js';
import { retryPolicy } from '../../src/policies/retry.js';
import { useFakeClock } from './fake-clock.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const tracer = (name: string, log: string[]): Policy => ({
  async execute(fn, options) {
    log.push(`${name}>`);
    try {
      return await fn({ signal: options?.signal, attempt: options?.attempt ?? 1, deadline: options?.deadline });
    } finally {
      log.push(`<${name}`);
    }
  },
});

describe('wrap', () => {
  test('the first policy listed is the outermost', async () => {
    const log: string[] = [];
    await wrap(tracer('a', log), tracer('b', log), tracer('c', log)).execute(async () => log.push('fn'));
    expect(log).toEqual(['a>', 'b>', 'c>', 'fn', '<c', '<b', '<a']);
  });

  test('retry outside breaker and limiter: each attempt takes a token and records its own outcome', async () => {
    const limiter = rateLimitPolicy({ perSecond: 1, burst: 1 });
    const breaker = circuitBreakerPolicy({ threshold: 3 });
    const waits: number[] = [];
    limiter.on('rateLimited', (e) => waits.push(e.waitMs));
    const attempts: number[] = [];
    const policy = wrap(retryPolicy({ maxAttempts: 3, jitter: 'none', baseDelay: 100 }), breaker, limiter);
    const result = policy
      .execute(async ({ attempt }) => {
        attempts.push(attempt);
        throw new ConnectorError('NETWORK', 'down');
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await result).toMatchObject({ code: 'NETWORK' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(waits).toEqual([900, 800]);
    expect(breaker.state).toBe('open');
  });
});

describe('policyLayer', () => {
  test('a retry layer passes a fresh context per attempt, which the chain accepts', async () => {
    const seen: CallContext<string>[] = [];
    const layer = policyLayer<string, string>('retry', retryPolicy({ jitter: 'none', baseDelay: 1 }), { classify: (_req, o) => defaultClassify(o) });
    const handler = compose([layer.middleware], async (ctx) => {
      seen.push(ctx);
      if (ctx.attempt < 3) throw new ConnectorError('NETWORK', 'again');
      return 'ok';
    });
    const ctx: CallContext<string> = { connector: 'c', request: 'r', signal: undefined, attempt: 1, deadline: undefined, startedAt: 0 };
    const result = handler(ctx);
    await vi.advanceTimersByTimeAsync(10);
    expect(await result).toBe('ok');
    expect(seen.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(seen).size).toBe(3);
    expect(seen[0]).toBe(ctx);
  });

  test('other policies hand the same context through', async () => {
    const layer = policyLayer<string, string>('bulkhead', wrap());
    const ctx: CallContext<string> = { connector: 'c', request: 'r', signal: undefined, attempt: 2, deadline: undefined, startedAt: 0 };
    let got: CallContext<string> | undefined;
    await compose([layer.middleware], async (c) => ((got = c), 'x'))(ctx);
    expect(got).toBe(ctx);
  });

  test('the idempotency slot sits outside retry, after the total timeout', () => {
    expect(LAYER_ORDER.indexOf('idempotency')).toBe(LAYER_ORDER.indexOf('totalTimeout') + 1);
    expect(LAYER_ORDER.indexOf('idempotency')).toBeLessThan(LAYER_ORDER.indexOf('retry'));
    const names = orderLayers<string, string>(['bulkhead', 'retry', 'idempotency', 'totalTimeout', 'rateLimit', 'circuitBreaker', 'attemptTimeout'].map((name) => ({ name: name as never, middleware: (_c, n) => n() }))).map((l) => l.name);
    expect(names).toEqual(['totalTimeout', 'idempotency', 'retry', 'circuitBreaker', 'rateLimit', 'bulkhead', 'attemptTimeout']);
  });
});

describe('defaultClassify', () => {
  test('values succeed; ConnectorErrors keep their retryability; aborts are not failures; other errors retry', () => {
    expect(defaultClassify({ ok: true, value: 1 })).toMatchObject({ retryable: false, failure: false });
    expect(defaultClassify({ ok: false, error: new ConnectorError('CONFIG', 'x') })).toMatchObject({ retryable: false, failure: true });
    expect(defaultClassify({ ok: false, error: new ConnectorError('ABORTED', 'x') })).toMatchObject({ retryable: false, failure: false });
    expect(defaultClassify({ ok: false, error: new ConnectorError('NETWORK', 'x', { details: { retryAfterMs: 5 } }) })).toMatchObject({ retryable: true, retryAfterMs: 5 });
    // The reason is the error's name: a foreign message may carry a secret into events.
    expect(defaultClassify({ ok: false, error: new TypeError('token=s3cr3t rejected') })).toEqual({ retryable: true, failure: true, reason: 'TypeError' });
  });
});
