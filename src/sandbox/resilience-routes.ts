import { errorReply, type SandboxReply, type SandboxRequest, type SandboxRoute } from './http-types.js';
import { intParam, isReply } from './pagination.js';

/**
 * How the misbehaving endpoints misbehave.
 *
 * @example
 * ```ts
 * import type { ResilienceSettings } from 'ia-connectors';
 * const s: ResilienceSettings = { flakyFailures: 2, rateLimit: { limit: 3, windowMs: 1000 } };
 * ```
 */
export interface ResilienceSettings {
  /** `GET /flaky` answers 503 this many times in a row, then 200, and again. @default 2 */
  flakyFailures: number;
  /** `GET /limited` allows `limit` calls per fixed window of `windowMs`, then 429. @default { limit: 3, windowMs: 1000 } */
  rateLimit: { limit: number; windowMs: number };
}

/**
 * `GET /flaky` (503 `flakyFailures` times, then 200; per `?key=`, so independent
 * callers do not share a streak; `?failures=` overrides the count) and
 * `GET /limited[/:id]` (a fixed-window limit shared by all callers; beyond it 429 with
 * `Retry-After` in whole seconds and `RateLimit-*` headers). Windows read `Date.now()`.
 *
 * @example
 * ```ts
 * import { resilienceRoutes } from './resilience-routes.js';
 * const routes = resilienceRoutes({ flakyFailures: 2, rateLimit: { limit: 3, windowMs: 1000 } });
 * ```
 */
export function resilienceRoutes(settings: ResilienceSettings): SandboxRoute[] {
  const calls = new Map<string, number>();
  const flaky = (request: SandboxRequest): SandboxReply => {
    const failures = intParam(request.query, 'failures', settings.flakyFailures, 0, 10);
    if (isReply(failures)) return failures;
    const key = request.query.get('key') ?? 'default';
    const call = (calls.get(key) ?? 0) + 1;
    calls.set(key, call);
    const position = (call - 1) % (failures + 1);
    if (position < failures) return errorReply(503, 'unavailable', `warming up (failure ${position + 1} of ${failures}); retry shortly`);
    return { status: 200, body: { status: 'recovered', failures_before: failures, call } };
  };

  const { limit, windowMs } = settings.rateLimit;
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  const limited = (request: SandboxRequest): SandboxReply => {
    const now = Date.now();
    if (now >= windowStart + windowMs) {
      windowStart = now;
      used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    const headers = { 'ratelimit-limit': String(limit), 'ratelimit-reset': String(resetSeconds) };
    if (used >= limit) {
      return errorReply(429, 'rate_limited', `at most ${limit} calls per ${windowMs} ms; retry after ${resetSeconds} s`, {
        ...headers,
        'ratelimit-remaining': '0',
        'retry-after': String(resetSeconds),
      });
    }
    used += 1;
    return { status: 200, headers: { ...headers, 'ratelimit-remaining': String(limit - used) }, body: { ok: true, id: request.params['id'] ?? null, remaining: limit - used } };
  };

  return [
    { method: 'GET', path: '/flaky', handler: flaky },
    { method: 'GET', path: '/limited', handler: limited },
    { method: 'GET', path: '/limited/:id', handler: limited },
  ];
}
