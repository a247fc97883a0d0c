/**
 * The median of a list of numbers (NaN for an empty list). Benchmark rounds are
 * few and noisy, and the median ignores one disturbed round where a mean would not.
 *
 * @example
 * ```js
 * import { median } from './stats.mjs';
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values) {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/**
 * The `p`-th percentile (0–100) of an already sorted array, nearest-rank.
 *
 * @example
 * ```js
 * import { percentile } from './stats.mjs';
 * percentile(Float64Array.of(1, 2, 3, 4), 50); // 2
 * ```
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * The largest number of timestamps (ms, sorted) falling in any window of
 * `windowMs`, found with two pointers in one pass.
 *
 * @example
 * ```js
 * import { largestInWindow } from './stats.mjs';
 * largestInWindow([0, 1, 2, 150], 100); // 3
 * ```
 */
export function largestInWindow(sorted, windowMs) {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
