import { z } from 'zod';
import { durationMs } from '../core/config.js';
import { codeField, delayMs, hasMethods, wholeNumber } from './fields.js';
import type { RateLimitSettings, RateLimitStore } from './rate-limit-types.js';

/**
 * Picks a rate-limit bucket per request; return the same string for requests that
 * share a limit (e.g. a route template, never a raw URL with ids).
 *
 * @example
 * ```ts
 * import type { RateLimitKey, ApiRequest } from 'ia-connectors';
 * const byMethod: RateLimitKey<ApiRequest> = (req) => req.method;
 * ```
 */
export type RateLimitKey<Req = never> = (request: Req) => string;

const OBJECT = { error: 'must be an object such as { perSecond: 20, burst: 40 }' };
const positiveRate = (example: string) =>
  z.number({ error: `must be a number of calls, e.g. ${example}` }).positive({ error: `must be greater than 0, e.g. ${example}` }).max(1_000_000, { error: 'must be at most 1000000' });

/**
 * Rate limiter settings: a token bucket filled at `perSecond` (or `rate` per
 * `intervalMs`) holding at most `burst` tokens. Callers wait in a FIFO queue of at
 * most `maxQueue` for at most `maxWait` ms; beyond either they get `RATE_LIMITED`.
 *
 * @example
 * ```ts
 * import { rateLimitConfigSchema } from 'ia-connectors';
 * rateLimitConfigSchema.parse({ perSecond: 20, burst: 40, adaptive: true, key: 'endpoint' });
 * ```
 */
export const rateLimitConfigSchema = z
  .object({
    /** Tokens per second. Set this or `rate` with `intervalMs`. */
    perSecond: positiveRate('20').optional(),
    /** Tokens per `intervalMs`, e.g. 1000 per 3600000 for an hourly quota. */
    rate: positiveRate('1000').optional(),
    intervalMs: durationMs().optional(),
    /** Most tokens held, the largest burst. @default the rate per interval, at least 1 */
    burst: wholeNumber('calls', 10, 1, 1_000_000).optional(),
    /** Callers that may wait for a token at once. @default 1000 */
    maxQueue: wholeNumber('callers', 100, 0, 1_000_000, 'must not be negative; 0 refuses instead of waiting').default(1000),
    /** Longest wait for a token. @default 30000 */
    maxWait: delayMs().default(30_000),
    /** Follow the server's RateLimit-* / X-RateLimit-* headers and pause when none remain. @default false */
    adaptive: z.boolean({ error: 'must be true or false' }).default(false),
    /** `endpoint`: one bucket per endpoint template; or a function (code only). @default one bucket per connector */
    key: z
      .union([z.literal('endpoint'), codeField<RateLimitKey<never>>((v) => typeof v === 'function', 'must be "endpoint" or a function')], {
        error: 'must be "endpoint" or a function (request) => string',
      })
      .optional(),
    /** Code only: where buckets live (default: in memory, per connector). */
    store: codeField<RateLimitStore>(hasMethods(['reserve', 'release', 'pause']), 'must be a RateLimitStore (reserve, release, pause)').optional(),
  }, OBJECT)
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.perSecond === undefined && cfg.rate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['perSecond'], message: 'set perSecond (e.g. 20), or rate with intervalMs' });
    }
    if (cfg.perSecond !== undefined && (cfg.rate !== undefined || cfg.intervalMs !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: 'set either perSecond, or rate with intervalMs, not both' });
    }
    if (cfg.rate !== undefined && cfg.intervalMs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['intervalMs'], message: 'is required with rate, e.g. rate: 1000, intervalMs: 60000' });
    }
  });

/**
 * Parsed {@link rateLimitConfigSchema}.
 *
 * @example
 * ```ts
 * import { rateLimitConfigSchema, type RateLimitConfig } from 'ia-connectors';
 * const c: RateLimitConfig = rateLimitConfigSchema.parse({ perSecond: 5 });
 * ```
 */
export type RateLimitConfig = z.output<typeof rateLimitConfigSchema>;

/**
 * What a user writes for a rate limiter.
 *
 * @example
 * ```ts
 * import type { RateLimitOptions } from 'ia-connectors';
 * const o: RateLimitOptions = { rate: 5000, intervalMs: 3_600_000, burst: 100 };
 * ```
 */
export type RateLimitOptions = z.input<typeof rateLimitConfigSchema>;

/**
 * The bucket rules of a config: tokens per ms and the burst (by default the rate
 * per interval, at least 1).
 *
 * @example
 * ```ts
 * import { rateLimitSettings, rateLimitConfigSchema } from 'ia-connectors';
 * rateLimitSettings(rateLimitConfigSchema.parse({ perSecond: 20 })); // { ratePerMs: 0.02, burst: 20 }
 * ```
 */
export function rateLimitSettings(config: RateLimitConfig): RateLimitSettings {
  const perInterval = config.perSecond ?? config.rate ?? 1;
  const intervalMs = config.perSecond !== undefined ? 1000 : (config.intervalMs ?? 1000);
  return { ratePerMs: perInterval / intervalMs, burst: config.burst ?? Math.max(1, Math.ceil(perInterval)) };
}
