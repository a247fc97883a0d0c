// Runs inside `node --cpu-prof`, started by bench/profile.mjs: GET /item in a
// closed loop for the time given, through one HTTP row of the benchmark (raw
// undici, or the REST connector bare, with retry off, or with the full chain).
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { rawUndici } from './clients/http-raw.mjs';
import { connectorBare, connectorFull, connectorMinimal } from './clients/http-connector.mjs';
import { loadLibrary } from './lib/library.mjs';

const [client, origin, dist, seconds, concurrency] = process.argv.slice(2);
const { lib } = await loadLibrary(dist);
const row = [rawUndici, connectorBare, connectorMinimal, connectorFull].find((r) => r.key === client);
if (!row) throw new Error(`unknown client "${client}"; use undici, connector-bare, connector-min or connector-full`);
const { call, close } = await row.create({ lib, origin, kind: 'get' });
const end = performance.now() + Number(seconds) * 1000;
let calls = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (performance.now() < end) {
      await call();
      calls++;
    }
  }),
);
await close();
process.stdout.write(`${JSON.stringify({ calls })}\n`);
