import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { fullChainOptions } from '../clients/http-connector.mjs';
import { measure } from '../lib/load.mjs';
import { onAllCores, redisMissing, startBenchRedis } from '../lib/redis.mjs';
import { median } from '../lib/stats.mjs';

const UNLIMITED = { perSecond: 1_000_000, burst: 1_000_000 };
const WORKERS = 4;
const noop = async () => undefined;

/**
 * Shared stores in Redis, against a `redis-server` of its own on a free loopback
 * port (skipped, with the reason, when `redis-server` is not on PATH):
 * rate-limit acquisitions per second through the Redis store from this process
 * and from four processes at once (a limit far above the load, so every
 * acquisition is one Lua script round trip and nothing waits), next to the
 * memory store; then the REST full chain (bearer, retry, breaker, limiter,
 * timeouts) with Redis stores and with memory stores, interleaved round by round
 * against the loopback HTTP server. `roundTripsPerOp` counts Redis round trips
 * (script calls) per call.
 *
 * @example
 * ```js
 * import { runRedis } from './redis.mjs';
 * const result = await runRedis({ lib, servers, options, log: console.error });
 * ```
 */
export async function runRedis({ lib, servers, options, log }) {
  const missing = redisMissing();
  if (missing) {
    log(`  redis: skipped (${missing})`);
    return { skipped: missing };
  }
  const dist = path.resolve(options.dist);
  const load = (module) => import(pathToFileURL(path.join(dist, module)).href);
  const { createRedisStores } = await load('policies/stores/redis/stores.js');
  const { rateLimitPolicy } = await load('policies/rate-limiter.js');
  const redis = await startBenchRedis();
  const stores = createRedisStores({ url: redis.url, keyPrefix: 'bench:' });
  // Script calls, the only commands the stores send on the hot path (the commands a script runs count apart).
  const commands = async () => {
    const stats = await stores.client.info('commandstats');
    return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  const window = { durationMs: options.limiterSeconds * 500, warmupMs: 300 };
  try {
    if (!(await stores.ready(5000))) throw new Error('the benchmark redis-server did not answer');
    const memory = rateLimitPolicy(UNLIMITED, { name: 'bench_memory_limiter' });
    const shared = rateLimitPolicy({ ...UNLIMITED, store: stores.forConnector('bench_limiter').rateLimitStore() }, { name: 'bench_limiter' });
    const memoryLimiter = await measure(() => memory.execute(noop), { concurrency: 64, ...window });
    const oneProcess = await counted(() => shared.execute(noop), { concurrency: 64, ...window }, commands);
    log(`  redis limiter: memory ${Math.round(memoryLimiter.opsPerSec)}/s, Redis from 1 process ${Math.round(oneProcess.opsPerSec)}/s (${oneProcess.roundTripsPerOp.toFixed(2)} round trips per acquisition)`);
    const fourProcesses = await runWorkers(dist, redis.url, window.durationMs);
    log(`  redis limiter: Redis from ${WORKERS} processes ${Math.round(fourProcesses.opsPerSec)}/s in total`);
    const chain = await compareChains({ lib, stores, origin: servers.endpoints.origin, options, commands });
    for (const row of chain) log(`  redis chain c=${row.concurrency}: memory ${Math.round(row.memory.opsPerSec)}/s, Redis ${Math.round(row.redis.opsPerSec)}/s (${row.redis.roundTripsPerOp.toFixed(2)} round trips per call)`);
    return { limiter: { memory: memoryLimiter, oneProcess, fourProcesses }, chain };
  } finally {
    await stores.close();
    await redis.stop();
  }
}

async function compareChains({ lib, stores, origin, options, commands }) {
  const own = stores.forConnector('bench_full_redis');
  const memory = lib.createRestConnector(fullChainOptions(origin, { name: 'bench_full_memory' }));
  const redis = lib.createRestConnector(
    fullChainOptions(origin, {
      name: 'bench_full_redis',
      rateLimit: { ...UNLIMITED, store: own.rateLimitStore() },
      circuitBreaker: { threshold: 5, openDuration: 30_000, store: own.breakerStore() },
    }),
  );
  await Promise.all([memory.connect(), redis.connect()]);
  const request = { method: 'GET', endpoint: '/item' };
  const call = (api) => () =>
    api.execute(request).then((res) => {
      if (res.status !== 200) throw new Error(`unexpected status ${res.status}`);
    });
  try {
    const rows = [];
    for (const concurrency of [1, 64]) {
      const runs = { memory: [], redis: [] };
      for (let round = 0; round < options.rounds; round++) {
        const warmupMs = round === 0 ? options.firstWarmupMs : options.warmupMs;
        runs.memory.push(await measure(call(memory), { concurrency, durationMs: options.durationMs, warmupMs }));
        runs.redis.push(await counted(call(redis), { concurrency, durationMs: options.durationMs, warmupMs }, commands));
      }
      rows.push({ concurrency, memory: summary(runs.memory), redis: summary(runs.redis) });
    }
    return rows;
  } finally {
    await Promise.all([memory.disconnect(), redis.disconnect()]);
  }
}

/** Measures like `measure`, also counting Redis round trips per call in the measured window only (not the warm-up). */
async function counted(call, { warmupMs, ...rest }, commands) {
  if (warmupMs > 0) await measure(call, { ...rest, durationMs: warmupMs, warmupMs: 0 });
  const before = await commands();
  const m = await measure(call, { ...rest, warmupMs: 0 });
  return { ...m, roundTripsPerOp: ((await commands()) - before) / (m.ops + m.errors) };
}

function summary(runs) {
  const pick = (field) => median(runs.map((r) => r[field]));
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  return { opsPerSec: pick('opsPerSec'), p50Us: pick('p50Us'), p99Us: pick('p99Us'), cpuUsPerOp: pick('cpuUsPerOp'), roundTripsPerOp: pick('roundTripsPerOp'), errors, firstError: runs.find((r) => r.firstError)?.firstError };
}

async function runWorkers(dist, url, durationMs) {
  const script = fileURLToPath(new URL('./redis-worker.mjs', import.meta.url));
  const startAt = Date.now() + 1500;
  const env = { ...process.env, BENCH_DIST: dist, REDIS_URL: url, START_AT: String(startAt), DURATION_MS: String(durationMs) };
  const results = await Promise.all(
    Array.from({ length: WORKERS }, () => {
      const [command, args] = onAllCores(process.execPath, [script]);
      const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
      const lines = createInterface({ input: child.stdout });
      return new Promise((resolve, reject) => {
        lines.once('line', (line) => resolve(JSON.parse(line)));
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`redis worker exited with code ${code}`))));
      });
    }),
  );
  const ops = results.reduce((n, r) => n + r.ops, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return { processes: WORKERS, ops, errors: results.reduce((n, r) => n + r.errors, 0), opsPerSec: ops / seconds, perProcess: results.map((r) => Math.round(r.ops / r.seconds)) };
}
