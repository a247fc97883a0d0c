// The benchmark harness: `npm run bench` (see docs/performance.md).
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { cpus, loadavg } from 'node:os';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { loadLibrary } from './lib/library.mjs';
import { readOptions, USAGE } from './lib/options.mjs';
import { canPin, pinSelf, startServerProcess } from './lib/processes.mjs';
import { renderMarkdown, writeResults } from './lib/report.mjs';
import { evaluateTargets } from './lib/targets.mjs';
import { runLimiter } from './suites/limiter.mjs';
import { runMemory } from './suites/memory.mjs';
import { runRedis } from './suites/redis.mjs';
import { runThroughput } from './suites/throughput.mjs';

// Memory results need full collections; restart with --expose-gc rather than ask the caller.
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  const options = readOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { lib, entry, builtAt } = await loadLibrary(options.dist);
  const pinning = pinningPlan(options.pin);
  log(`ia-connectors benchmark: ${entry} (built ${builtAt}); ${pinning.text}`);
  const started = process.hrtime.bigint();
  const processes = {};
  try {
    processes.http = await startServerProcess(new URL('./servers/http.mjs', import.meta.url), pinning.servers);
    processes.grpc = await startServerProcess(new URL('./servers/grpc.mjs', import.meta.url), pinning.servers);
    processes.ws = await startServerProcess(new URL('./servers/ws.mjs', import.meta.url), pinning.servers);
    const servers = {
      byName: processes,
      endpoints: {
        origin: `http://127.0.0.1:${processes.http.info.port}`,
        grpcTarget: `127.0.0.1:${processes.grpc.info.port}`,
        proto: processes.grpc.info.proto,
        wsUrl: `ws://127.0.0.1:${processes.ws.info.port}`,
      },
    };
    const result = {
      environment: {
        date: new Date().toISOString(),
        node: process.versions.node,
        cpu: cpus()[0]?.model ?? 'unknown CPU',
        cores: cpus().length,
        loadAverage: loadavg(),
        pinning: describePinning(pinning, processes),
        build: `${entry}, built ${builtAt}`,
      },
      options,
      notes: [],
    };
    const context = { lib, servers, options, log };
    if (options.suites.includes('throughput')) {
      const { groups, remeasured } = await runThroughput(context);
      result.throughput = groups;
      if (remeasured > 0) result.notes.push(`${remeasured} windows were measured again because other processes took more than 15% of a core during them.`);
    }
    if (options.suites.includes('memory')) result.memory = await runMemory(context);
    if (options.suites.includes('limiter')) result.limiter = await runLimiter(context);
    if (options.suites.includes('redis')) result.redis = await runRedis(context);
    const ran = (scope) => (['memory', 'limiter', 'redis'].includes(scope) ? options.suites.includes(scope) : options.suites.includes('throughput') && (options.only.length === 0 || options.only.includes(scope)));
    result.targets = evaluateTargets(result).filter((t) => ran(t.scope));
    result.environment.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    result.notes.push(`Whole run took ${result.environment.seconds.toFixed(0)} s; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.`);
    const markdown = renderMarkdown(result);
    writeResults(options.out, result, markdown);
    process.stdout.write(`${markdown}\n`);
    log(`wrote ${options.out}/latest.md and latest.json`);
  } finally {
    await Promise.all(Object.values(processes).map((p) => p.stop()));
  }
}

function pinningPlan(wanted) {
  if (!wanted) return { servers: false, text: 'not pinned (--no-pin)' };
  const check = canPin();
  if (!check.ok) return { servers: false, text: `not pinned: ${check.reason}` };
  const self = pinSelf();
  if (!self.ok) return { servers: false, text: `not pinned: taskset could not pin this process (allowed cores ${self.cores})` };
  return { servers: true, self, text: `client pinned to core ${self.cores}` };
}

function describePinning(plan, processes) {
  if (!plan.servers) return `Client and servers not pinned (${plan.text}); they share the cores with each other and anything else running.`;
  const servers = Object.entries(processes).map(([name, p]) => `${name} server on core ${p.cores}`).join(', ');
  return `Pinned with taskset: client on core ${plan.self.cores}; ${servers} (read back from /proc).`;
}

main().catch((error) => {
  const usage = error?.code === 'BENCH_USAGE' || String(error?.code).startsWith('ERR_PARSE_ARGS');
  console.error(usage ? `bench: ${error.message}` : (error?.stack ?? error));
  process.exitCode = usage ? 2 : 1;
});
