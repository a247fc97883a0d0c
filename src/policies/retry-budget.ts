import type { RetryBudgetConfig } from './retry-schema.js';

const BUCKETS = 10;

/**
 * Limits retries to a share of recent calls: over the last `windowMs`, retries
 * may number at most `ratio · calls + minPerSecond · seconds`. Counts live in ten
 * time buckets, so memory is constant.
 *
 * @example
 * ```ts
 * import { RetryBudget } from 'ia-connectors';
 * const budget = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minPerSecond: 1 });
 * budget.recordCall(Date.now());
 * budget.tryRetry(Date.now()); // true while within budget
 * ```
 */
export class RetryBudget {
  readonly #bucketMs: number;
  readonly #floor: number;
  readonly #ratio: number;
  readonly #starts = new Array<number>(BUCKETS).fill(-Infinity);
  readonly #calls = new Array<number>(BUCKETS).fill(0);
  readonly #retries = new Array<number>(BUCKETS).fill(0);

  constructor(config: RetryBudgetConfig) {
    this.#bucketMs = Math.ceil(config.windowMs / BUCKETS);
    this.#floor = config.minPerSecond * (config.windowMs / 1000);
    this.#ratio = config.ratio;
  }

  /** Counts one call (its first attempt). */
  recordCall(now: number): void {
    const slot = this.#slot(now);
    this.#calls[slot] = (this.#calls[slot] ?? 0) + 1;
  }

  /** Spends one retry if the budget allows it; false means do not retry. */
  tryRetry(now: number): boolean {
    const slot = this.#slot(now);
    const oldest = now - this.#bucketMs * BUCKETS;
    let calls = 0;
    let retries = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if ((this.#starts[i] as number) <= oldest) continue;
      calls += this.#calls[i] as number;
      retries += this.#retries[i] as number;
    }
    if (retries + 1 > this.#floor + this.#ratio * calls) return false;
    this.#retries[slot] = (this.#retries[slot] ?? 0) + 1;
    return true;
  }

  #slot(now: number): number {
    const start = now - (now % this.#bucketMs);
    const slot = Math.floor(start / this.#bucketMs) % BUCKETS;
    if (this.#starts[slot] !== start) {
      this.#starts[slot] = start;
      this.#calls[slot] = 0;
      this.#retries[slot] = 0;
    }
    return slot;
  }
}
