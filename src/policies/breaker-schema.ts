import { z } from 'zod';
import { durationMs } from '../core/config.js';
import type { Outcome, Verdict } from '../core/outcome.js';
import type { BreakerSettings, BreakerSnapshot, BreakerStore } from './breaker-types.js';
import { codeField, hasMethods, isFunction, wholeNumber } from './fields.js';

/**
 * Decides whether an outcome counts as a breaker failure: `true`, `false`, or
 * `undefined` to keep the transport's verdict.
 *
 * @example
 * ```ts
 * import type { IsFailure } from 'ia-connectors';
 * const tooManyRequests: IsFailure = (verdict) => (verdict.reason === 'status 429' ? true : undefined);
 * ```
 */
export type IsFailure = (verdict: Verdict, outcome: Outcome<unknown>) => boolean | undefined;

const RATE_ONLY = ['failureRate', 'windowSize', 'windowMs', 'minThroughput'] as const;
const OBJECT = { error: 'must be an object such as { threshold: 5, openDuration: 30000 }' };
const isSnapshot = (v: unknown): boolean => typeof v === 'object' && v !== null && 'state' in v;

/**
 * Circuit breaker settings. `mode: 'consecutive'` opens after `threshold` failures
 * in a row; `mode: 'rate'` opens when `failureRate` of the calls in a window (the
 * last `windowSize` calls, or the last `windowMs`) failed, once `minThroughput`
 * calls were seen.
 *
 * @example
 * ```ts
 * import { circuitBreakerConfigSchema } from 'ia-connectors';
 * circuitBreakerConfigSchema.parse({ mode: 'rate', failureRate: 0.5, windowMs: 30_000, openDuration: 10_000 });
 * ```
 */
export const circuitBreakerConfigSchema = z
  .object({
    /** @default 'consecutive' */
    mode: z.enum(['consecutive', 'rate'], { error: 'must be "consecutive" or "rate"' }).default('consecutive'),
    /** Consecutive failures that open the breaker. @default 5 */
    threshold: wholeNumber('failures', 5, 1, 10_000).optional(),
    /** Rate mode: share of failed calls that opens the breaker, above 0 up to 1. @default 0.5 */
    failureRate: z
      .number({ error: 'must be a number above 0 up to 1, e.g. 0.5' })
      .gt(0, { error: 'must be above 0 and at most 1, e.g. 0.5' })
      .max(1, { error: 'must be above 0 and at most 1, e.g. 0.5' })
      .optional(),
    /** Rate mode: judge the last N calls. */
    windowSize: wholeNumber('calls', 20, 1, 10_000).optional(),
    /** Rate mode: judge the calls of the last N ms. @default 60000 */
    windowMs: durationMs().optional(),
    /** Rate mode: calls needed in the window before the rate is judged. @default 10 */
    minThroughput: wholeNumber('calls', 10, 1, 1_000_000).optional(),
    /** How long the breaker stays open before probing. @default 30000 */
    openDuration: durationMs().default(30_000),
    /** Each re-open without recovery lasts `multiplier` times longer, up to `max`. */
    backoff: z
      .object({
        multiplier: z
          .number({ error: 'must be a number above 1, e.g. 2' })
          .gt(1, { error: 'must be above 1, e.g. 2' })
          .max(100, { error: 'must be at most 100' })
          .default(2),
        max: durationMs().default(300_000),
      })
      .strict()
      .optional(),
    /** Calls let through while half-open; all must succeed to close. @default 1 */
    halfOpenProbes: wholeNumber('calls', 1, 1, 1000).default(1),
    /** Code only: overrides what counts as a failure. */
    isFailure: codeField<IsFailure>(isFunction, 'must be a function (verdict, outcome) => boolean | undefined').optional(),
    /** Code only: where the state lives (default: in memory, per connector). */
    store: codeField<BreakerStore>(hasMethods(['admit', 'record', 'snapshot', 'restore']), 'must be a BreakerStore (admit, record, snapshot, restore)').optional(),
    /** Code only: state saved from `toJSON()` to start from. */
    initialState: codeField<BreakerSnapshot>(isSnapshot, 'must be a snapshot from breaker.toJSON()').optional(),
  }, OBJECT)
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.mode === 'consecutive') {
      for (const field of RATE_ONLY) {
        if (cfg[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `applies to mode "rate" only; set mode: "rate" or remove it` });
      }
    } else if (cfg.threshold !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'applies to mode "consecutive" only; use failureRate in mode "rate"' });
    }
    if (cfg.windowSize !== undefined && cfg.windowMs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['windowSize'], message: 'set either windowSize (last N calls) or windowMs (last N ms), not both' });
    }
    if (cfg.backoff && cfg.backoff.max < cfg.openDuration) {
      ctx.addIssue({ code: 'custom', path: ['backoff', 'max'], message: `must be at least openDuration (${cfg.openDuration} ms)` });
    }
  });

/**
 * Parsed {@link circuitBreakerConfigSchema}.
 *
 * @example
 * ```ts
 * import { circuitBreakerConfigSchema, type CircuitBreakerConfig } from 'ia-connectors';
 * const c: CircuitBreakerConfig = circuitBreakerConfigSchema.parse({});
 * ```
 */
export type CircuitBreakerConfig = z.output<typeof circuitBreakerConfigSchema>;

/**
 * What a user writes for a circuit breaker.
 *
 * @example
 * ```ts
 * import type { CircuitBreakerOptions } from 'ia-connectors';
 * const o: CircuitBreakerOptions = { threshold: 3, openDuration: 10_000 };
 * ```
 */
export type CircuitBreakerOptions = z.input<typeof circuitBreakerConfigSchema>;

/**
 * Fills the rate-mode defaults and flattens the backoff into {@link BreakerSettings}.
 *
 * @example
 * ```ts
 * import { breakerSettings, circuitBreakerConfigSchema } from 'ia-connectors';
 * breakerSettings(circuitBreakerConfigSchema.parse({ mode: 'rate' })).windowMs; // 60000
 * ```
 */
export function breakerSettings(config: CircuitBreakerConfig): BreakerSettings {
  return {
    mode: config.mode,
    threshold: config.threshold ?? 5,
    failureRate: config.failureRate ?? 0.5,
    windowSize: config.windowSize,
    windowMs: config.windowMs ?? 60_000,
    minThroughput: config.minThroughput ?? 10,
    openDuration: config.openDuration,
    backoffMultiplier: config.backoff?.multiplier ?? 1,
    maxOpenDuration: config.backoff?.max ?? config.openDuration,
    halfOpenProbes: config.halfOpenProbes,
  };
}
