import { z } from 'zod';
import type { Outcome, Verdict } from '../core/outcome.js';
import { codeField, delayMs, falseOr, isFunction } from './fields.js';

/**
 * The most attempts a call may make; more only turns an outage into a storm.
 *
 * @example
 * ```ts
 * import { MAX_ATTEMPTS_CEILING } from 'ia-connectors';
 * MAX_ATTEMPTS_CEILING; // 20
 * ```
 */
export const MAX_ATTEMPTS_CEILING = 20;

const OBJECT = { error: 'must be an object such as { maxAttempts: 3 }; { maxAttempts: 1 } turns retry off' };

/**
 * Widens or narrows what is retried: return `true` to retry, `false` not to, or
 * `undefined` to keep the transport's verdict.
 *
 * @example
 * ```ts
 * import type { ShouldRetry } from 'ia-connectors';
 * const alsoConflicts: ShouldRetry = (verdict) => (verdict.reason === 'status 409' ? true : undefined);
 * ```
 */
export type ShouldRetry = (verdict: Verdict, outcome: Outcome<unknown>) => boolean | undefined;

/**
 * The retry budget: retries may be at most `ratio` of the calls in the last
 * `windowMs`, plus `minPerSecond` retries a second, so an outage cannot turn
 * into a retry storm.
 *
 * @example
 * ```ts
 * import { retryBudgetSchema } from 'ia-connectors';
 * retryBudgetSchema.parse({ ratio: 0.1 });
 * ```
 */
export const retryBudgetSchema = z
  .object({
    /** Share of recent calls that may be retried, 0 to 1. */
    ratio: z
      .number({ error: 'must be a number from 0 to 1, e.g. 0.2' })
      .min(0, { error: 'must be from 0 to 1, e.g. 0.2' })
      .max(1, { error: 'must be from 0 to 1, e.g. 0.2' })
      .default(0.2),
    /** How far back calls and retries are counted. */
    windowMs: delayMs().min(1000, { error: 'must be at least 1000 ms' }).default(10_000),
    /** Retries always allowed per second, whatever the ratio. */
    minPerSecond: z.number({ error: 'must be a number of retries per second, e.g. 10' }).min(0, { error: 'must not be negative' }).default(10),
  })
  .strict();

/**
 * Retry settings. Only what the transport judges retryable is retried (REST:
 * idempotent methods, or POST/PATCH with an `Idempotency-Key`; network errors
 * before a response; 408, 429, 500, 502, 503, 504).
 *
 * @example
 * ```ts
 * import { retryConfigSchema } from 'ia-connectors';
 * retryConfigSchema.parse({ maxAttempts: 5, jitter: 'decorrelated', idempotencyKey: 'auto' });
 * ```
 */
export const retryConfigSchema = z
  .object({
    /** Attempts in all, the first included; 1 turns retry off. @default 3 */
    maxAttempts: z
      .number({ error: 'must be a whole number of attempts, e.g. 3' })
      .int({ error: 'must be a whole number of attempts, e.g. 3' })
      .min(1, { error: 'must be at least 1 (1 means no retries)' })
      .max(MAX_ATTEMPTS_CEILING, { error: `must be at most ${MAX_ATTEMPTS_CEILING}; more attempts only prolong an outage` })
      .default(3),
    /** First backoff step in ms; each retry doubles it. @default 200 */
    baseDelay: delayMs().default(200),
    /** Largest backoff in ms. @default 30000 */
    maxDelay: delayMs().default(30_000),
    /** How backoff is randomised so clients do not retry in step. @default 'full' */
    jitter: z.enum(['full', 'decorrelated', 'none'], { error: 'must be "full", "decorrelated" or "none"' }).default('full'),
    /** Longest server-requested wait (Retry-After, RateLimit-Reset) honoured; longer fails with RETRY_AFTER_TOO_LONG. @default 60000 */
    maxRetryAfter: delayMs().default(60_000),
    /** `auto`: REST POST/PATCH get one generated Idempotency-Key per call, so they can be retried. @default 'off' */
    idempotencyKey: z.enum(['auto', 'off'], { error: 'must be "auto" or "off"' }).default('off'),
    /** Caps retries as a share of recent calls; `false` turns the cap off. */
    budget: falseOr(retryBudgetSchema, '{ ratio: 0.2 }').default(() => retryBudgetSchema.parse({})),
    /** Code only: overrides the transport's verdict. */
    shouldRetry: codeField<ShouldRetry>(isFunction, 'must be a function (verdict, outcome) => boolean | undefined').optional(),
  }, OBJECT)
  .strict()
  .refine((r) => r.maxDelay >= r.baseDelay, { path: ['maxDelay'], error: 'must be at least baseDelay' });

/**
 * Parsed {@link retryConfigSchema}.
 *
 * @example
 * ```ts
 * import { retryConfigSchema, type RetryConfig } from 'ia-connectors';
 * const r: RetryConfig = retryConfigSchema.parse({});
 * ```
 */
export type RetryConfig = z.output<typeof retryConfigSchema>;

/**
 * What a user writes for retry (every field optional).
 *
 * @example
 * ```ts
 * import type { RetryOptions } from 'ia-connectors';
 * const r: RetryOptions = { maxAttempts: 4, baseDelay: 100 };
 * ```
 */
export type RetryOptions = z.input<typeof retryConfigSchema>;

/**
 * Parsed {@link retryBudgetSchema}.
 *
 * @example
 * ```ts
 * import type { RetryBudgetConfig } from 'ia-connectors';
 * const b: RetryBudgetConfig = { ratio: 0.2, windowMs: 10_000, minPerSecond: 10 };
 * ```
 */
export type RetryBudgetConfig = z.output<typeof retryBudgetSchema>;
