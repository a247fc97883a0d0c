import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineBusyMs } from './processes.mjs';

const SAMPLE_MS = 250;

/**
 * Waits until other processes leave the machine alone: two samples in a row in
 * which everything but this process took less than `threshold` of a core, or
 * `maxMs` at most. Returns how long it waited. On a shared machine (a neighbour's
 * test run) this puts a window after the burst instead of in it.
 *
 * @example
 * ```js
 * import { waitForQuiet } from './quiet.mjs';
 * const waitedMs = await waitForQuiet({ maxMs: 5000, threshold: 0.15 });
 * ```
 */
export async function waitForQuiet({ maxMs, threshold }) {
  const started = performance.now();
  let calm = 0;
  while (performance.now() - started < maxMs) {
    const machine = machineBusyMs();
    const own = process.cpuUsage();
    const at = performance.now();
    await sleep(SAMPLE_MS);
    const used = process.cpuUsage(own);
    const ownMs = (used.user + used.system) / 1000;
    const others = (machineBusyMs() - machine - ownMs) / (performance.now() - at);
    if (!Number.isFinite(others)) return performance.now() - started;
    calm = others < threshold ? calm + 1 : 0;
    if (calm >= 2) break;
  }
  return performance.now() - started;
}
