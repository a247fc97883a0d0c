import { z } from 'zod';
import { durationMs } from '../core/config.js';

/**
 * Timeouts in milliseconds: `connect` (TCP + TLS), `headers` (until response headers),
 * `bodyIdle` (longest pause while reading the body), `attempt` (one attempt) and
 * `total` (the whole call, all attempts and waits included).
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
    total: durationMs().optional().default(60_000),
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
 *
 * @example
 * ```ts
 * import { policyConfigShape } from 'ia-connectors';
 * Object.keys(policyConfigShape); // ['timeout', ...]
 * ```
 */
export const policyConfigShape = {
  timeout: timeoutConfigSchema.default(() => timeoutConfigSchema.parse({})),
};
