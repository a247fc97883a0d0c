import { performance } from 'node:perf_hooks';
import { largestInWindow } from '../lib/stats.mjs';

const RATE = 500;
const BURST = 50;
const CONCURRENCY = 64;
// A token bucket admits at most `burst + rate × w` calls in any window of length w.
const WINDOWS_MS = [2, 10, 100, 1000];

/**
 * Rate limiter accuracy through a REST connector: 500 calls/s with a burst of 50,
 * offered far more load than that (64 callers in a closed loop) for `seconds`.
 * A custom layer, which runs just inside the limiter, stamps each admitted call.
 * Reports the rate measured after the first second (the bucket's initial burst
 * excluded), the total against the ideal `burst + rate × seconds`, and for
 * windows from 2 ms (one token) to 1 s the largest number of calls admitted in
 * any such window against the bucket's bound `burst + rate × window`.
 *
 * @example
 * ```js
 * import { runLimiter } from './limiter.mjs';
 * const result = await runLimiter({ lib, servers, options: { limiterSeconds: 10 }, log: console.error });
 * ```
 */
export async function runLimiter({ lib, servers, options, log }) {
  const admitted = [];
  const stamp = {
    name: 'custom',
    middleware: (_ctx, next) => {
      admitted.push(performance.now());
      return next();
    },
  };
  const api = lib.createRestConnector(
    { name: 'bench_limiter', baseUrl: servers.endpoints.origin, retry: { maxAttempts: 1 }, rateLimit: { perSecond: RATE, burst: BURST } },
    { layers: [stamp] },
  );
  await api.connect();
  const seconds = options.limiterSeconds;
  const start = performance.now();
  const end = start + seconds * 1000;
  let errors = 0;
  let firstError;
  const request = { method: 'GET', endpoint: '/item' };
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          try {
            await api.execute(request);
          } catch (error) {
            errors++;
            firstError ??= `${error?.code ?? ''} ${error?.message ?? error}`.trim();
          }
        }
      }),
    );
  } finally {
    await api.disconnect();
  }
  const inRun = admitted.filter((t) => t < end).map((t) => t - start);
  const steady = inRun.filter((t) => t >= 1000);
  const result = {
    rate: RATE,
    burst: BURST,
    seconds,
    admitted: inRun.length,
    idealAdmitted: BURST + RATE * seconds,
    steadyRate: steady.length / (seconds - 1),
    steadyRateError: steady.length / (seconds - 1) / RATE - 1,
    largest100ms: largestInWindow(inRun, 100),
    windows: WINDOWS_MS.map((ms) => ({ ms, largest: largestInWindow(inRun, ms), bound: BURST + Math.ceil((RATE * ms) / 1000) })),
    errors,
    firstError,
  };
  log(
    `  limiter: ${result.admitted} admitted in ${seconds} s (ideal ${result.idealAdmitted}), steady ${result.steadyRate.toFixed(1)}/s, ` +
      `largest in a window: ${result.windows.map((w) => `${w.largest}/${w.bound} in ${w.ms} ms`).join(', ')}`,
  );
  return result;
}
