// One of the processes of the Redis suite's multi-process run: acquires rate-limit
// tokens through the Redis store as fast as 64 callers can from START_AT for
// DURATION_MS, then prints one JSON line with its count.
import path from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';

const dist = path.resolve(process.env.BENCH_DIST);
const { rateLimitPolicy } = await import(pathToFileURL(path.join(dist, 'policies/rate-limiter.js')).href);
const { createRedisStores } = await import(pathToFileURL(path.join(dist, 'policies/stores/redis/stores.js')).href);

const stores = createRedisStores({ url: process.env.REDIS_URL, keyPrefix: 'bench:' });
if (!(await stores.ready(5000))) throw new Error('Redis did not answer');
const limiter = rateLimitPolicy({ perSecond: 1_000_000, burst: 1_000_000, store: stores.forConnector('bench_limiter').rateLimitStore() }, { name: 'bench_limiter' });
const noop = async () => undefined;
const startAt = Number(process.env.START_AT);
const end = startAt + Number(process.env.DURATION_MS);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
let ops = 0;
let errors = 0;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (Date.now() < end) {
      try {
        await limiter.execute(noop);
        ops++;
      } catch {
        errors++;
      }
    }
  }),
);
await stores.close();
process.stdout.write(`${JSON.stringify({ ops, errors, seconds: (Date.now() - startAt) / 1000 })}\n`);
