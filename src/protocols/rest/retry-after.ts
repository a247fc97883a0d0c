import type { RateLimitInfo } from '../../core/outcome.js';
import type { ResponseHeaders } from '../../core/types.js';

/** Values above a year of seconds are Unix timestamps (GitHub style), not waits. */
const EPOCH_THRESHOLD_S = 31_536_000;

/**
 * The wait a response asks for, in milliseconds: `Retry-After` (seconds or an HTTP
 * date), then `RateLimit-Reset` (seconds), then `X-RateLimit-Reset` (seconds, or a Unix
 * timestamp when it is larger than a year of seconds). Undefined when none is usable.
 *
 * @example
 * ```ts
 * import { retryAfterMs } from 'ia-connectors';
 * retryAfterMs({ 'retry-after': '2' }, Date.now()); // 2000
 * retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, Date.parse('Wed, 21 Oct 2015 07:27:30 GMT')); // 30000
 * ```
 */
export function retryAfterMs(headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return resetMs(headers, now);
}

/**
 * What a response says about the server's rate limit, from `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset`, or their `X-RateLimit-*` forms.
 * Undefined when the response carries none of them, so callers pay nothing for
 * servers that do not send them.
 *
 * @example
 * ```ts
 * import { rateLimitInfo } from 'ia-connectors';
 * rateLimitInfo({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' }); // { limit: 60, remaining: 0, resetMs: 30000 }
 * ```
 */
export function rateLimitInfo(headers: ResponseHeaders, now: number = Date.now()): RateLimitInfo | undefined {
  const limit = count(headers['ratelimit-limit'] ?? headers['x-ratelimit-limit']);
  const remaining = count(headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining']);
  const reset = resetMs(headers, now);
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { resetMs: reset }),
  };
}

function resetMs(headers: ResponseHeaders, now: number): number | undefined {
  const reset = number(headers['ratelimit-reset']);
  if (reset !== undefined) return Math.max(0, reset * 1000);
  const xReset = number(headers['x-ratelimit-reset']);
  if (xReset === undefined) return undefined;
  return Math.max(0, xReset > EPOCH_THRESHOLD_S ? xReset * 1000 - now : xReset * 1000);
}

function number(value: string | string[] | undefined): number | undefined {
  const text = first(value);
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function count(value: string | string[] | undefined): number | undefined {
  const n = number(value);
  return n !== undefined && n >= 0 ? Math.floor(n) : undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
