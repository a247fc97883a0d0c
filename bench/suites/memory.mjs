import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { connectorWs } from '../clients/websocket.mjs';
import { fullChainOptions } from '../clients/http-connector.mjs';
import { collectGarbage, runCount } from '../lib/load.mjs';

/**
 * Memory after many calls: heap and RSS after a full GC, before and after
 * `count` requests through the full REST chain and `count` WebSocket requests
 * (after a warm-up of a tenth as many, so pools, JIT and caches are already
 * filled). A leak of even a few dozen bytes per request shows as megabytes.
 *
 * @example
 * ```js
 * import { runMemory } from './memory.mjs';
 * const runs = await runMemory({ lib, servers, options: { memoryCount: 200_000 }, log: console.error });
 * ```
 */
export async function runMemory({ lib, servers, options, log }) {
  const runs = [];
  const rest = lib.createRestConnector(fullChainOptions(servers.endpoints.origin, { name: 'bench_memory' }));
  await rest.connect();
  try {
    const request = { method: 'GET', endpoint: '/item' };
    runs.push(await track('REST full chain, GET, concurrency 64', () => rest.execute(request), 64, options.memoryCount, log));
  } finally {
    await rest.disconnect();
  }
  const wsMissing = connectorWs.unavailable(lib);
  if (wsMissing) {
    runs.push({ label: 'WebSocket connector request(), 100 in flight', count: options.memoryCount, skipped: wsMissing });
    log(`  memory: WebSocket connector ${wsMissing}`);
    return runs;
  }
  const ws = await connectorWs.create({ lib, ...servers.endpoints });
  try {
    runs.push(await track('WebSocket connector request(), 100 in flight', ws.call, 100, options.memoryCount, log));
  } finally {
    await ws.close();
  }
  return runs;
}

async function track(label, call, concurrency, count, log) {
  await runCount(call, { concurrency, count: Math.ceil(count / 10) });
  collectGarbage();
  const before = process.memoryUsage();
  const started = performance.now();
  const { errors, firstError } = await runCount(call, { concurrency, count });
  const seconds = (performance.now() - started) / 1000;
  collectGarbage();
  const after = process.memoryUsage();
  const run = {
    label,
    count,
    errors,
    firstError,
    seconds,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    heapGrowth: after.heapUsed - before.heapUsed,
    rssBefore: before.rss,
    rssAfter: after.rss,
    rssGrowth: after.rss - before.rss,
  };
  log(`  memory: ${label}: heap ${mb(run.heapBefore)} -> ${mb(run.heapAfter)} MB, RSS ${mb(run.rssBefore)} -> ${mb(run.rssAfter)} MB in ${seconds.toFixed(1)} s`);
  return run;
}

function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}
