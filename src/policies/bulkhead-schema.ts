import { z } from 'zod';
import { durationMs } from '../core/config.js';
import { wholeNumber } from './fields.js';

/**
 * Bulkhead settings: at most `maxConcurrent` calls run at once; up to `maxQueue`
 * more wait (FIFO) for a slot, each for at most `maxWait` ms when set. Beyond
 * that, calls fail at once with `BULKHEAD_FULL`.
 *
 * @example
 * ```ts
 * import { bulkheadConfigSchema } from 'ia-connectors';
 * bulkheadConfigSchema.parse({ maxConcurrent: 8, maxQueue: 100, maxWait: 5000 });
 * ```
 */
export const bulkheadConfigSchema = z
  .object(
    {
      maxConcurrent: wholeNumber('calls', 10, 1, 100_000),
      /** Calls that may wait for a slot. @default 0 (refuse at once) */
      maxQueue: wholeNumber('calls', 100, 0, 1_000_000, 'must not be negative; 0 refuses instead of queueing').default(0),
      /** Longest wait in the queue; without it a queued call waits until its own timeout. */
      maxWait: durationMs().optional(),
    },
    { error: 'must be an object such as { maxConcurrent: 10, maxQueue: 100 }' },
  )
  .strict();

/**
 * Parsed {@link bulkheadConfigSchema}.
 *
 * @example
 * ```ts
 * import type { BulkheadConfig } from 'ia-connectors';
 * const b: BulkheadConfig = { maxConcurrent: 4, maxQueue: 0 };
 * ```
 */
export type BulkheadConfig = z.output<typeof bulkheadConfigSchema>;

/**
 * What a user writes for a bulkhead.
 *
 * @example
 * ```ts
 * import type { BulkheadOptions } from 'ia-connectors';
 * const o: BulkheadOptions = { maxConcurrent: 4 };
 * ```
 */
export type BulkheadOptions = z.input<typeof bulkheadConfigSchema>;
