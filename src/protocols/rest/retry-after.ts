import type { ResponseHeaders } from '../../core/types.js';

/**
 * The wait a response asks for, in milliseconds: `Retry-After` (seconds or an HTTP
 * date), then `RateLimit-Reset` (seconds), then `X-RateLimit-Reset` (seconds, or a Unix
 * timestamp when it is larger than a year of seconds). Undefined when none is usable.
 *
 * @example
 * ```ts
 * import { retryAfterMs } from 'ia-connectors';
 * retryAfterMs({ 'retry-after': '2' }, Date.now()); // 2000
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
  const reset = first(headers['ratelimit-reset']);
  if (reset !== undefined && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000);
  const xReset = first(headers['x-ratelimit-reset']);
  if (xReset !== undefined && Number.isFinite(Number(xReset))) {
    const value = Number(xReset);
    // Large values are epoch seconds (GitHub style); small ones are seconds to wait.
    return Math.max(0, value > 31_536_000 ? value * 1000 - now : value * 1000);
  }
  return undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
