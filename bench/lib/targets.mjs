/**
 * Checks the measured medians against the performance targets. Each target is
 * reported (met, missed, or not measured) and never asserted: numbers on a
 * shared machine are evidence, not a gate. `scope` names the scenario or suite
 * a target belongs to, so a partial run can leave out what it did not run.
 *
 * @example
 * ```js
 * import { evaluateTargets } from './targets.mjs';
 * for (const t of evaluateTargets(results)) console.log(t.target, t.measured, t.met);
 * ```
 */
export function evaluateTargets({ throughput = [], memory = [], limiter }) {
  const row = (scenario, concurrency, key) => throughput.find((g) => g.scenario === scenario && g.concurrency === concurrency)?.rows.find((r) => r.key === key && r.opsPerSec !== undefined);
  const targets = [];
  const add = (scope, target, measured, met) => targets.push({ scope, target, measured: measured ?? 'not measured', met: measured === undefined ? undefined : met });
  const times = (value) => `${value.toFixed(2)}×`;

  for (const [scenario, method] of [['http-get', 'GET'], ['http-post', 'POST']]) {
    for (const [concurrency, goal] of [[64, 0.9], [1, 0.85]]) {
      const full = row(scenario, concurrency, 'connector-full');
      const measured = full && `${times(full.ratio)} (CPU per call ${times(full.cpuRatio)} the baseline's)`;
      add(scenario, `REST full chain ${method} ≥ ${goal}× raw undici at concurrency ${concurrency}`, measured, full && full.ratio >= goal);
    }
    const full64 = row(scenario, 64, 'connector-full');
    for (const [peer, goal] of [['cockatiel', 2], ['axios', 8], ['got', 8]]) {
      const other = row(scenario, 64, peer);
      const ratio = full64 && other ? full64.ratio / other.ratio : undefined;
      add(scenario, `REST full chain ${method} ≥ ${goal}× ${peer === 'cockatiel' ? 'undici in cockatiel' : peer} at concurrency 64`, ratio === undefined ? undefined : times(ratio), ratio >= goal);
    }
    const full1 = row(scenario, 1, 'connector-full');
    add(scenario, `REST full chain ${method}: added p50 latency at concurrency 1 ≤ 20 µs`, full1 && `${full1.addedP50Us.toFixed(1)} µs (CPU per call +${full1.addedCpuUs.toFixed(1)} µs)`, full1 && full1.addedP50Us <= 20);
  }
  const grpc = row('grpc', 64, 'connector-full');
  add('grpc', 'gRPC full chain ≥ 0.95× raw grpc-js at concurrency 64', grpc && `${times(grpc.ratio)} (CPU per call ${times(grpc.cpuRatio)})`, grpc && grpc.ratio >= 0.95);
  const ws = row('websocket', 100, 'connector');
  add('websocket', 'WebSocket request() ≥ 0.90× raw ws with 100 in flight', ws && `${times(ws.ratio)} (CPU per call ${times(ws.cpuRatio)})`, ws && ws.ratio >= 0.9);
  for (const run of memory) {
    const measured = run.skipped ? undefined : `${(run.heapGrowth / 1024 / 1024).toFixed(2)} MB`;
    add('memory', `${run.label}: heap growth < 5 MB over ${run.count.toLocaleString('en-US')} requests`, measured, !run.skipped && run.heapGrowth < 5 * 1024 * 1024);
  }
  if (limiter) {
    const pct = (limiter.steadyRateError * 100).toFixed(2);
    add('limiter', `rate limiter within ±1% of ${limiter.rate}/s`, `${limiter.steadyRate.toFixed(1)}/s (${pct}%)`, Math.abs(limiter.steadyRateError) <= 0.01);
    const worst = limiter.windows.reduce((a, b) => (b.largest - b.bound > a.largest - a.bound ? b : a));
    add(
      'limiter',
      `rate limiter never above the burst: at most burst + rate × window in any window (${limiter.burst} + ${limiter.rate / 10} = ${limiter.burst + limiter.rate / 10} in 100 ms)`,
      `${limiter.largest100ms} in 100 ms; closest: ${worst.largest} of ${worst.bound} in ${worst.ms} ms`,
      limiter.windows.every((w) => w.largest <= w.bound),
    );
  }
  return targets;
}
