import { describe, expect, test } from 'vitest';
import { ConnectorError } from '../../src/core/errors.js';
import type { ApiRequest, ApiResponse, ResponseHeaders } from '../../src/core/types.js';
import { classifyRest } from '../../src/protocols/rest/classify.js';
import { rateLimitInfo, retryAfterMs } from '../../src/protocols/rest/retry-after.js';
import { RestResponse } from '../../src/protocols/rest/response.js';

const get: ApiRequest = { method: 'GET', endpoint: '/x' };
const post: ApiRequest = { method: 'POST', endpoint: '/x' };
const response = (status: number, headers: ResponseHeaders = {}): { ok: true; value: ApiResponse } => ({
  ok: true,
  value: new RestResponse('GET', status, headers, undefined, 'http://127.0.0.1/x', 1, 1),
});

describe('retryAfterMs', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  test('reads seconds, an HTTP date, RateLimit-Reset and X-RateLimit-Reset (delta or epoch)', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': new Date(now + 90_000).toUTCString() }, now)).toBe(90_000);
    expect(retryAfterMs({ 'retry-after': new Date(now - 5000).toUTCString() }, now)).toBe(0);
    expect(retryAfterMs({ 'ratelimit-reset': '7' }, now)).toBe(7000);
    expect(retryAfterMs({ 'x-ratelimit-reset': '4' }, now)).toBe(4000);
    expect(retryAfterMs({ 'x-ratelimit-reset': String(now / 1000 + 60) }, now)).toBe(60_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});

describe('rateLimitInfo', () => {
  test('reads RateLimit-* and X-RateLimit-*, and nothing when neither is sent', () => {
    expect(rateLimitInfo({ 'ratelimit-limit': '100', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' })).toEqual({ limit: 100, remaining: 0, resetMs: 30_000 });
    expect(rateLimitInfo({ 'x-ratelimit-remaining': '12' })).toEqual({ remaining: 12 });
    expect(rateLimitInfo({ 'x-ratelimit-remaining': 'many' })).toBeUndefined();
    expect(rateLimitInfo({ 'content-type': 'text/plain' })).toBeUndefined();
  });
});

describe('classifyRest', () => {
  test('retryable statuses for idempotent methods; POST only with an Idempotency-Key', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(classifyRest(get, response(status)).retryable).toBe(true);
    for (const status of [400, 401, 404, 409, 501]) expect(classifyRest(get, response(status)).retryable).toBe(false);
    expect(classifyRest(post, response(503)).retryable).toBe(false);
    expect(classifyRest({ ...post, headers: { 'Idempotency-Key': 'k' } }, response(503)).retryable).toBe(true);
  });

  test('5xx and network errors are breaker failures; 4xx and local refusals are not', () => {
    expect(classifyRest(get, response(500)).failure).toBe(true);
    expect(classifyRest(get, response(429)).failure).toBe(false);
    expect(classifyRest(get, { ok: false, error: new ConnectorError('NETWORK', 'reset') })).toMatchObject({ retryable: true, failure: true });
    expect(classifyRest(get, { ok: false, error: new ConnectorError('ATTEMPT_TIMEOUT', 'slow') })).toMatchObject({ retryable: true, failure: true });
    expect(classifyRest(get, { ok: false, error: new ConnectorError('CIRCUIT_OPEN', 'open') })).toMatchObject({ retryable: false, failure: false });
    expect(classifyRest(post, { ok: false, error: new ConnectorError('CONNECTION_REFUSED', 'no') }).retryable).toBe(true);
    expect(classifyRest(post, { ok: false, error: new ConnectorError('NETWORK', 'reset') }).retryable).toBe(false);
    // A failed credential fetch happens before the request is sent, so even a POST may repeat it.
    expect(classifyRest(post, { ok: false, error: new ConnectorError('AUTH', 'token endpoint 503', { retryable: true }) }).retryable).toBe(true);
    expect(classifyRest(post, { ok: false, error: new ConnectorError('AUTH', 'invalid_client') }).retryable).toBe(false);
    // A shared store that is away (fail_closed) says nothing about the upstream, and nothing was sent.
    expect(classifyRest(post, { ok: false, error: new ConnectorError('STORE_UNAVAILABLE', 'redis down') })).toMatchObject({ retryable: true, failure: false });
  });

  test("a foreign error is judged by its name, so its message (which may hold a secret) never reaches events", () => {
    expect(classifyRest(get, { ok: false, error: new TypeError('Bearer s3cr3t-token rejected') })).toEqual({ retryable: false, failure: true, reason: 'TypeError' });
  });

  test("passes on the server's requested wait and its rate-limit statement", () => {
    expect(classifyRest(get, response(429, { 'retry-after': '2' }))).toMatchObject({ retryAfterMs: 2000, reason: 'status 429' });
    expect(classifyRest(get, response(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '9' })).rateLimit).toEqual({ remaining: 0, resetMs: 9000 });
    expect(classifyRest(get, response(200))).toEqual({ retryable: false, failure: false, reason: 'ok' });
  });
});
