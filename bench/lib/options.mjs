import { parseArgs } from 'node:util';

const SUITES = ['throughput', 'memory', 'limiter', 'redis'];
const SCENARIO_IDS = ['http-get', 'http-post', 'graphql', 'grpc', 'websocket'];

/**
 * The benchmark's command line. `--quick` is a smoke run (short windows, a tenth
 * of the memory requests, a 3 s limiter run) that still interleaves 3 rounds.
 *
 * @example
 * ```js
 * import { readOptions } from './options.mjs';
 * const options = readOptions(['--quick', '--only', 'http-get,grpc']);
 * ```
 */
export function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      suites: { type: 'string' },
      dist: { type: 'string', default: 'dist' },
      out: { type: 'string', default: 'bench/results' },
      'no-pin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const quick = values.quick;
  const suites = list(values.suites) ?? SUITES;
  const unknown = suites.filter((s) => !SUITES.includes(s));
  if (unknown.length) throw usageError(`--suites: unknown suite ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  const only = list(values.only) ?? [];
  const unknownScenarios = only.filter((s) => !SCENARIO_IDS.includes(s));
  if (unknownScenarios.length) throw usageError(`--only: unknown scenario ${unknownScenarios.join(', ')}; choose from ${SCENARIO_IDS.join(', ')}`);
  return {
    help: values.help,
    quick,
    rounds: whole('--rounds', values.rounds, quick ? 3 : 5, 1),
    durationMs: whole('--duration', values.duration, quick ? 250 : 300, 50),
    warmupMs: whole('--warmup', values.warmup, quick ? 50 : 100, 0),
    firstWarmupMs: Math.max(whole('--warmup', values.warmup, 0, 0), quick ? 200 : 300),
    only,
    suites,
    dist: values.dist,
    out: values.out,
    pin: !values['no-pin'],
    remeasureBudgetMs: quick ? 10_000 : 20_000,
    memoryCount: quick ? 20_000 : 200_000,
    limiterSeconds: quick ? 3 : 10,
  };
}

/**
 * The `--help` text.
 *
 * @example
 * ```js
 * import { USAGE } from './options.mjs';
 * console.log(USAGE);
 * ```
 */
export const USAGE = `Usage: node bench/run.mjs [options]   (npm run bench -- [options])

Measures the compiled library in dist/ (run "npm run build" first) against raw
clients and peer libraries, on loopback only. Prints a markdown table and writes
bench/results/latest.md and latest.json.

  --quick              short smoke run (1–2 min): 3 rounds of 250 ms windows, 20,000 memory requests, 3 s limiter
  --rounds N           interleaved rounds, medians over them (default 5)
  --duration MS        measured window per row and round (default 300)
  --warmup MS          unmeasured warm-up before each window (default 100; 300 in the first round)
  --only IDS           scenarios: http-get,http-post,graphql,grpc,websocket (default all)
  --suites NAMES       throughput,memory,limiter,redis (default all; redis is skipped
                       with a note when redis-server is not on PATH)
  --dist DIR           compiled build to load (default dist)
  --out DIR            where latest.md / latest.json go (default bench/results)
  --no-pin             do not pin client and servers to separate cores
`;

function whole(flag, value, fallback, min) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw usageError(`${flag}: must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/** An error about the command line: shown as one line, without a stack. */
function usageError(message) {
  return Object.assign(new Error(`${message} (see --help)`), { code: 'BENCH_USAGE' });
}

function list(value) {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}
