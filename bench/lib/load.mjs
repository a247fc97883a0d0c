import { performance } from 'node:perf_hooks';
import process from 'node:process';

// One buffer for every measurement: a latency sample per operation, no allocation while measuring.
const MAX_SAMPLES = 1 << 21;
const samples = new Float64Array(MAX_SAMPLES);

/**
 * Runs `call` in a closed loop with `concurrency` callers: first for `warmupMs`
 * (JIT, connections), then, after a full GC, for `durationMs` while timing each
 * call and the process's CPU time. Failed calls are counted apart and never
 * counted as throughput. With `serverCpuMs` and `machineBusyMs` (CPU-time
 * readers), it also reports the server's share of a core and how much of a core
 * other processes took during the window (`foreignShare`).
 *
 * @example
 * ```js
 * import { measure } from './load.mjs';
 * const m = await measure(() => pool.request({ path: '/item', method: 'GET' }).then((r) => r.body.json()), { concurrency: 64, durationMs: 1000, warmupMs: 200 });
 * console.log(m.opsPerSec, m.p50Us, m.cpuUsPerOp);
 * ```
 */
export async function measure(call, { concurrency, durationMs, warmupMs, serverCpuMs = () => Number.NaN, machineBusyMs = () => Number.NaN }) {
  if (warmupMs > 0) await loop(call, concurrency, warmupMs, false);
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverCpuMs();
  const machineBefore = machineBusyMs();
  const started = performance.now();
  const run = await loop(call, concurrency, durationMs, true);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const serverMs = serverCpuMs() - serverBefore;
  const clientMs = (cpu.user + cpu.system) / 1000;
  const sorted = samples.subarray(0, Math.min(run.ops, MAX_SAMPLES)).sort();
  const pick = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] * 1000;
  return {
    ops: run.ops,
    errors: run.errors,
    firstError: run.firstError === undefined ? undefined : describeError(run.firstError),
    elapsedMs,
    opsPerSec: (run.ops / elapsedMs) * 1000,
    p50Us: run.ops > 0 ? pick(50) : Number.NaN,
    p99Us: run.ops > 0 ? pick(99) : Number.NaN,
    cpuUsPerOp: run.ops > 0 ? (cpu.user + cpu.system) / run.ops : Number.NaN,
    cpuShare: clientMs / elapsedMs,
    serverCpuShare: serverMs / elapsedMs,
    foreignShare: Math.max(0, machineBusyMs() - machineBefore - clientMs - serverMs) / elapsedMs,
  };
}

/**
 * Runs `call` exactly `count` times with `concurrency` callers (for memory runs,
 * where the work must be the same every time).
 *
 * @example
 * ```js
 * import { runCount } from './load.mjs';
 * const { errors } = await runCount(() => api.execute({ method: 'GET', endpoint: '/item' }), { concurrency: 64, count: 200_000 });
 * ```
 */
export async function runCount(call, { concurrency, count }) {
  let issued = 0;
  let errors = 0;
  let firstError;
  const worker = async () => {
    while (issued < count) {
      issued++;
      try {
        await call();
      } catch (error) {
        errors++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { errors, firstError: firstError === undefined ? undefined : describeError(firstError) };
}

/**
 * Forces full garbage collections when the process runs with `--expose-gc`
 * (several: finalizers and weak references free more on the next pass).
 *
 * @example
 * ```js
 * import { collectGarbage } from './load.mjs';
 * collectGarbage();
 * const { heapUsed } = process.memoryUsage();
 * ```
 */
export function collectGarbage() {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') return;
  for (let i = 0; i < 3; i++) gc();
}

async function loop(call, concurrency, durationMs, record) {
  const end = performance.now() + durationMs;
  let ops = 0;
  let errors = 0;
  let firstError;
  const worker = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      try {
        await call();
      } catch (error) {
        errors++;
        firstError ??= error;
        continue;
      }
      if (record && ops < MAX_SAMPLES) samples[ops] = performance.now() - start;
      ops++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ops, errors, firstError };
}

function describeError(error) {
  const code = error?.code ? `${error.code}: ` : '';
  return `${code}${error?.message ?? String(error)}`.slice(0, 300);
}
