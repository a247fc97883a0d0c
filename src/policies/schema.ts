import { z } from 'zod';
import { durationMs } from '../core/config.js';
import { circuitBreakerConfigSchema } from './breaker-schema.js';
import { bulkheadConfigSchema } from './bulkhead-schema.js';
import { rateLimitConfigSchema } from './rate-limit-schema.js';
import { retryConfigSchema } from './retry-schema.js';
import { storeConfigSchema } from './store-schema.js';

/**
 * Timeouts in milliseconds: `connect` (TCP + TLS), `headers` (until response headers),
 * `bodyIdle` (longest pause while reading the body), `attempt` (one attempt) and
 * `total` (the whole call, all attempts and waits included; `false` for none).
 *
 * @example
 * ```ts
 * import { timeoutConfigSchema } from 'ia-connectors';
 * timeoutConfigSchema.parse({ connect: 2000, total: 10_000 });
 * ```
 */
export const timeoutConfigSchema = z
  .object({
    connect: durationMs().default(10_000),
    headers: durationMs().default(30_000),
    bodyIdle: durationMs().default(30_000),
    attempt: durationMs().optional(),
    /** `false` turns the total timeout off (the per-call `timeout` still applies). */
    total: z
      .union([z.literal(false), durationMs()], { error: 'must be a positive number of milliseconds such as 60000, or false for no total timeout' })
      .default(60_000),
  })
  .strict();

/**
 * Parsed {@link timeoutConfigSchema}.
 *
 * @example
 * ```ts
 * import type { TimeoutConfig } from 'ia-connectors';
 * const t: TimeoutConfig = { connect: 1000, headers: 1000, bodyIdle: 1000, total: 5000 };
 * ```
 */
export type TimeoutConfig = z.output<typeof timeoutConfigSchema>;

/**
 * The policy settings every connector config accepts beside its protocol fields.
 * Retry is on by default (3 attempts, only what is safe to repeat); `retry: {
 * maxAttempts: 1 }` turns it off. Circuit breaker, rate limiter and bulkhead are off
 * until configured. `store` says where limiter, breaker and OAuth token state live
 * (memory by default, or Redis shared by many processes); the registry applies it.
 *
 * @example
 * ```ts
 * import { policyConfigShape } from 'ia-connectors';
 * Object.keys(policyConfigShape); // ['timeout', 'retry', 'circuitBreaker', 'rateLimit', 'bulkhead', 'store']
 * ```
 */
export const policyConfigShape = {
  timeout: timeoutConfigSchema.default(() => timeoutConfigSchema.parse({})),
  retry: retryConfigSchema.default(() => retryConfigSchema.parse({})),
  circuitBreaker: circuitBreakerConfigSchema.optional(),
  rateLimit: rateLimitConfigSchema.optional(),
  bulkhead: bulkheadConfigSchema.optional(),
  store: storeConfigSchema.optional(),
};
