/**
 * How backoff is randomised: `full` picks uniformly between 0 and the exponential
 * step (AWS "full jitter", the best spread); `decorrelated` grows from the previous
 * delay; `none` is the plain exponential step.
 *
 * @example
 * ```ts
 * import type { Jitter } from 'ia-connectors';
 * const j: Jitter = 'decorrelated';
 * ```
 */
export type Jitter = 'full' | 'decorrelated' | 'none';

/**
 * The backoff inputs: first step, cap and jitter.
 *
 * @example
 * ```ts
 * import type { BackoffOptions } from 'ia-connectors';
 * const b: BackoffOptions = { baseDelay: 100, maxDelay: 10_000, jitter: 'full' };
 * ```
 */
export interface BackoffOptions {
  baseDelay: number;
  maxDelay: number;
  jitter: Jitter;
}

/**
 * The wait in whole milliseconds before retrying after failed attempt `attempt`
 * (1 for the first): `baseDelay · 2^(attempt-1)` capped at `maxDelay`, randomised
 * by `jitter`. `previous` is the last delay (decorrelated jitter grows from it).
 *
 * @example
 * ```ts
 * import { backoffDelay } from 'ia-connectors';
 * backoffDelay(3, 0, { baseDelay: 100, maxDelay: 10_000, jitter: 'none' }); // 400
 * ```
 */
export function backoffDelay(attempt: number, previous: number, options: BackoffOptions, random: () => number = Math.random): number {
  const { baseDelay, maxDelay, jitter } = options;
  if (jitter === 'decorrelated') {
    const from = Math.max(baseDelay, previous);
    return Math.round(Math.min(maxDelay, baseDelay + random() * (from * 3 - baseDelay)));
  }
  // 2^30 already exceeds any delay a config allows; capping the exponent avoids Infinity.
  const step = Math.min(maxDelay, baseDelay * 2 ** Math.min(30, attempt - 1));
  return Math.round(jitter === 'full' ? random() * step : step);
}
