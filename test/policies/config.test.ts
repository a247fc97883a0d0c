import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { ConnectorError } from '../../src/core/errors.js';
import { bulkheadPolicy } from '../../src/policies/bulkhead.js';
import { circuitBreakerPolicy } from '../../src/policies/circuit-breaker.js';
import { rateLimitPolicy } from '../../src/policies/rate-limiter.js';
import { retryPolicy } from '../../src/policies/retry.js';
import { policyConfigShape } from '../../src/policies/schema.js';
import { createRestConnector } from '../../src/protocols/rest/connector.js';

const base = { name: 'cfg', baseUrl: 'http://127.0.0.1:9' };

function configError(options: Record<string, unknown>): ConnectorError {
  try {
    createRestConnector({ ...base, ...options } as never);
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected a CONFIG error');
}

describe('defaults', () => {
  test('retry is on with 3 attempts; breaker, limiter and bulkhead are off until configured', () => {
    const { config } = createRestConnector(base);
    expect(config.retry).toMatchObject({ maxAttempts: 3, baseDelay: 200, maxDelay: 30_000, jitter: 'full', maxRetryAfter: 60_000, idempotencyKey: 'off' });
    expect(config.retry.budget).toEqual({ ratio: 0.2, windowMs: 10_000, minPerSecond: 10 });
    expect([config.circuitBreaker, config.rateLimit, config.bulkhead]).toEqual([undefined, undefined, undefined]);
  });

  test('retry: { maxAttempts: 1 } turns retry off; a configured policy gets its defaults', () => {
    const { config } = createRestConnector({ ...base, retry: { maxAttempts: 1 }, circuitBreaker: {}, rateLimit: { perSecond: 5 }, bulkhead: { maxConcurrent: 2 } });
    expect(config.retry.maxAttempts).toBe(1);
    expect(config.circuitBreaker).toMatchObject({ mode: 'consecutive', openDuration: 30_000, halfOpenProbes: 1 });
    expect(config.rateLimit).toMatchObject({ perSecond: 5, maxQueue: 1000, maxWait: 30_000, adaptive: false });
    expect(config.bulkhead).toEqual({ maxConcurrent: 2, maxQueue: 0 });
  });

  test('the policy settings still print as JSON Schema for editors, code-only hooks as "any value"', () => {
    const schema = z.object(policyConfigShape);
    expect(() => z.toJSONSchema(schema, { io: 'input' })).not.toThrow();
    expect(() => z.toJSONSchema(schema)).not.toThrow();
  });
});

describe('every bad option is a CONFIG error naming its field', () => {
  test.each([
    [{ retry: { maxAttempts: 21 } }, 'retry.maxAttempts', 'at most 20'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts', 'at least 1'],
    [{ retry: { maxAttempts: 2.5 } }, 'retry.maxAttempts', 'whole number'],
    [{ retry: { baseDelay: -1 } }, 'retry.baseDelay', 'must not be negative'],
    [{ retry: { maxDelay: 50, baseDelay: 100 } }, 'retry.maxDelay', 'at least baseDelay'],
    [{ retry: { jitter: 'random' } }, 'retry.jitter', '"full", "decorrelated" or "none"'],
    [{ retry: { maxRetryAfter: -5 } }, 'retry.maxRetryAfter', 'must not be negative'],
    [{ retry: { idempotencyKey: true } }, 'retry.idempotencyKey', '"auto" or "off"'],
    [{ retry: { budget: { ratio: 2 } } }, 'retry.budget.ratio', 'from 0 to 1'],
    [{ retry: { budget: { ratio: 'half', windowMs: 10.5 } } }, 'retry.budget', 'ratio: must be a number from 0 to 1, e.g. 0.2; windowMs: must be a whole number'],
    [{ retry: { budget: true } }, 'retry.budget', 'must be false or an object such as { ratio: 0.2 }'],
    [{ retry: { shouldRetry: 'yes' } }, 'retry.shouldRetry', 'must be a function'],
    [{ retry: { attempts: 3 } }, 'retry', 'unknown field "attempts"'],
    [{ retry: false }, 'retry', '{ maxAttempts: 1 } turns retry off'],
    [{ rateLimit: 20 }, 'rateLimit', 'such as { perSecond: 20, burst: 40 }'],
    [{ circuitBreaker: { halfOpenProbes: 0 } }, 'circuitBreaker.halfOpenProbes', 'at least 1'],
    [{ circuitBreaker: { threshold: 0 } }, 'circuitBreaker.threshold', 'at least 1'],
    [{ circuitBreaker: { openDuration: -5 } }, 'circuitBreaker.openDuration', 'positive'],
    [{ circuitBreaker: { mode: 'rate', failureRate: 0 } }, 'circuitBreaker.failureRate', 'above 0'],
    [{ circuitBreaker: { mode: 'rate', failureRate: 1.5 } }, 'circuitBreaker.failureRate', 'at most 1'],
    [{ circuitBreaker: { windowSize: 10 } }, 'circuitBreaker.windowSize', 'mode "rate" only'],
    [{ circuitBreaker: { mode: 'rate', threshold: 3 } }, 'circuitBreaker.threshold', 'mode "consecutive" only'],
    [{ circuitBreaker: { mode: 'rate', windowSize: 10, windowMs: 1000 } }, 'circuitBreaker.windowSize', 'not both'],
    [{ circuitBreaker: { backoff: { multiplier: 1 } } }, 'circuitBreaker.backoff.multiplier', 'above 1'],
    [{ circuitBreaker: { openDuration: 10_000, backoff: { max: 5000 } } }, 'circuitBreaker.backoff.max', 'at least openDuration'],
    [{ circuitBreaker: { mode: 'sometimes' } }, 'circuitBreaker.mode', '"consecutive" or "rate"'],
    [{ rateLimit: { perSecond: 0 } }, 'rateLimit.perSecond', 'greater than 0'],
    [{ rateLimit: { perSecond: -3 } }, 'rateLimit.perSecond', 'greater than 0'],
    [{ rateLimit: { perSecond: 5, burst: 0 } }, 'rateLimit.burst', 'at least 1'],
    [{ rateLimit: {} }, 'rateLimit.perSecond', 'set perSecond'],
    [{ rateLimit: { rate: 100 } }, 'rateLimit.intervalMs', 'required with rate'],
    [{ rateLimit: { rate: 0, intervalMs: 1000 } }, 'rateLimit.rate', 'greater than 0'],
    [{ rateLimit: { perSecond: 5, rate: 5, intervalMs: 1000 } }, 'rateLimit.rate', 'not both'],
    [{ rateLimit: { perSecond: 5, maxWait: -1 } }, 'rateLimit.maxWait', 'must not be negative'],
    [{ rateLimit: { perSecond: 5, maxQueue: -1 } }, 'rateLimit.maxQueue', 'must not be negative'],
    [{ rateLimit: { perSecond: 5, key: 'path' } }, 'rateLimit.key', '"endpoint" or a function'],
    [{ bulkhead: { maxConcurrent: 0 } }, 'bulkhead.maxConcurrent', 'at least 1'],
    [{ bulkhead: {} }, 'bulkhead.maxConcurrent', 'number'],
    [{ bulkhead: { maxConcurrent: 2, maxQueue: -1 } }, 'bulkhead.maxQueue', 'must not be negative'],
    [{ timeout: { attempt: 0 } }, 'timeout.attempt', 'positive'],
  ])('%j → %s', (options, path, text) => {
    const error = configError(options);
    expect(error.code).toBe('CONFIG');
    const issue = (error.details.issues as { path: string; message: string }[]).find((i) => i.path === path);
    expect(issue, error.message).toBeDefined();
    expect(error.message).toContain(`${path}: `);
    expect(error.message).toContain(text);
  });

  test('standalone factories report the same way', () => {
    expect(() => retryPolicy({ maxAttempts: 50 })).toThrow(/invalid retry: 1 problem\n {2}- maxAttempts: must be at most 20/);
    expect(() => circuitBreakerPolicy({ halfOpenProbes: 0 })).toThrow(/halfOpenProbes: must be at least 1/);
    expect(() => rateLimitPolicy({ perSecond: 10, burst: 0 })).toThrow(/burst: must be at least 1/);
    expect(() => bulkheadPolicy({ maxConcurrent: -1 })).toThrow(/maxConcurrent: must be at least 1/);
  });
});
