// CPU profile of a REST connector row (the full chain by default) at concurrency 64
// beside raw undici: which functions of this library spend the most self time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { URL, fileURLToPath } from 'node:url';
import { summariseProfile } from './lib/cpu-profile.mjs';
import { loadLibrary } from './lib/library.mjs';
import { canPin, pinSelf, startServerProcess } from './lib/processes.mjs';

const { values } = readArgs({
  args: process.argv.slice(2),
  options: {
    dist: { type: 'string', default: 'dist' },
    seconds: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '64' },
    client: { type: 'string', default: 'connector-full' },
    top: { type: 'string', default: '25' },
    out: { type: 'string', default: 'bench/results' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const root = resolve('.');
if (!['undici', 'connector-bare', 'connector-min', 'connector-full'].includes(values.client)) {
  process.stderr.write(`bench: --client must be connector-full, connector-min or connector-bare, got "${values.client}"\n`);
  process.exit(2);
}
const LABELS = { 'connector-full': 'REST connector, full chain', 'connector-min': 'REST connector, retry off', 'connector-bare': 'REST connector, no policies' };
const distDir = resolve(values.dist);
const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  const { entry } = await loadLibrary(distDir);
  const pin = !values['no-pin'] && canPin().ok && pinSelf().ok;
  const server = await startServerProcess(new URL('./servers/http.mjs', import.meta.url), pin);
  const dir = mkdtempSync(join(tmpdir(), 'ia-connectors-profile-'));
  try {
    const origin = `http://127.0.0.1:${server.info.port}`;
    log(`profiling ${entry}: ${values.client} against raw undici, GET, concurrency ${values.concurrency}, ${values.seconds} s each${pin ? ', client and server on separate cores' : ''}`);
    const full = await profile(values.client, origin, join(dir, 'client'));
    const raw = await profile('undici', origin, join(dir, 'undici'));
    const markdown = render(full, raw, Number(values.top));
    mkdirSync(values.out, { recursive: true });
    const name = values.client === 'connector-full' ? 'profile.md' : `profile-${values.client}.md`;
    writeFileSync(join(values.out, name), markdown);
    process.stdout.write(markdown);
    log(`wrote ${join(values.out, name)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

/** Runs one client under --cpu-prof in a child process (which inherits this process's core) and summarises it. */
async function profile(client, origin, dir) {
  const target = fileURLToPath(new URL('./profile-target.mjs', import.meta.url));
  const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--trace-gc', target, client, origin, distDir, values.seconds, values.concurrency];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the profiled ${client} process exited with code ${code}`);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile was written to ${dir}`);
  const lines = output.trim().split('\n');
  return { ...summariseProfile(join(dir, file), distDir, root), calls: JSON.parse(lines.at(-1)).calls, gc: gcTotals(lines) };
}

/** Counts and total pause of young-generation (Scavenge) and full (Mark-Compact) collections in `--trace-gc` lines. */
function gcTotals(lines) {
  const totals = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0 };
  for (const line of lines) {
    const pause = Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(line)?.[1] ?? 0);
    if (line.includes(': Scavenge')) {
      totals.scavenges++;
      totals.scavengeMs += pause;
    } else if (line.includes(': Mark-Compact')) {
      totals.markCompacts++;
      totals.markCompactMs += pause;
    }
  }
  return totals;
}

function render(full, raw, top) {
  const pct = (us) => `${((us / full.busyUs) * 100).toFixed(1)}%`;
  const perCall = (us, run = full) => (us / run.calls).toFixed(2);
  const ours = full.functions.filter((f) => f.owner === 'ia-connectors');
  const oursUs = ours.reduce((sum, f) => sum + f.selfUs, 0);
  const rawOwners = new Map(raw.owners.map((o) => [o.owner, o.selfUs]));
  const owners = full.owners.filter((o) => o.owner !== '(idle)');
  for (const [owner, us] of rawOwners) if (owner !== '(idle)' && !owners.some((o) => o.owner === owner)) owners.push({ owner, selfUs: 0, rawOnly: us });
  const out = [
    `# CPU profile: ${LABELS[values.client] ?? values.client}, GET, concurrency ${values.concurrency}`,
    '',
    `${LABELS[values.client] ?? values.client}: ${full.calls.toLocaleString('en-US')} calls in ${values.seconds} s, ${perCall(full.busyUs)} µs of busy CPU per call; ` +
      `raw undici: ${raw.calls.toLocaleString('en-US')} calls, ${perCall(raw.busyUs, raw)} µs per call (both under the profiler, which slows them; the first second includes JIT warm-up). ` +
      `This library's own code is ${pct(oursUs)} of its busy time (${perCall(oursUs)} µs per call). ` +
      'Self time: time in the function itself, not in what it calls; percentages are of busy (non-idle) time.',
    '',
    '## Where the time goes, per call',
    '',
    '| owner | connector µs/call | raw undici µs/call | difference | share of connector |',
    '|---|--:|--:|--:|--:|',
    ...owners.map((o) => {
      const rawUs = (rawOwners.get(o.owner) ?? 0) / raw.calls;
      const fullUs = o.selfUs / full.calls;
      return `| ${o.owner} | ${fullUs.toFixed(2)} | ${rawUs.toFixed(2)} | ${(fullUs - rawUs >= 0 ? '+' : '') + (fullUs - rawUs).toFixed(2)} | ${pct(o.selfUs)} |`;
    }),
    '',
    '## Garbage collection (`--trace-gc`)',
    '',
    'A young-generation collection (scavenge) costs in proportion to the objects that survive it; objects that live',
    'across a few of them are promoted and later cost full (mark-compact) collections.',
    '',
    '| run | scavenges | their pauses, µs per call | mark-compacts | their pauses, µs per call |',
    '|---|--:|--:|--:|--:|',
    ...[[LABELS[values.client] ?? values.client, full], ['raw undici', raw]].map(
      ([label, run]) =>
        `| ${label} | ${run.gc.scavenges} | ${((run.gc.scavengeMs * 1000) / run.calls).toFixed(2)} | ${run.gc.markCompacts} | ${((run.gc.markCompactMs * 1000) / run.calls).toFixed(2)} |`,
    ),
    '',
    '## Top functions of this library (self time)',
    '',
    '| function | source | self time | µs per call |',
    '|---|---|--:|--:|',
    ...ours.slice(0, top).map((f) => `| \`${f.name}\` | ${f.where} | ${pct(f.selfUs)} | ${perCall(f.selfUs)} |`),
    '',
    '## Outside this library: functions that cost more per call than under raw undici',
    '',
    'What the chain makes Node, undici and the GC do on top of the raw client (for example promises, listeners, allocations).',
    '',
    '| function | owner | where | connector µs/call | raw undici µs/call | difference |',
    '|---|---|---|--:|--:|--:|',
    ...growth(full, raw)
      .slice(0, top)
      .map((g) => `| \`${g.name}\` | ${g.owner} | ${g.where} | ${g.fullUs.toFixed(2)} | ${g.rawUs.toFixed(2)} | +${g.diff.toFixed(2)} |`),
    '',
    '## Top functions overall, connector (self time)',
    '',
    '| function | owner | where | self time | µs per call |',
    '|---|---|---|--:|--:|',
    ...full.functions
      .filter((f) => f.owner !== '(idle)')
      .slice(0, top)
      .map((f) => `| \`${f.name}\` | ${f.owner} | ${f.where} | ${pct(f.selfUs)} | ${perCall(f.selfUs)} |`),
    '',
  ];
  return out.join('\n');
}

/** Functions outside this library whose self time per call grew most from raw undici to the connector. */
function growth(full, raw) {
  const rawByKey = new Map(raw.functions.map((f) => [`${f.name}@${f.where}`, f.selfUs / raw.calls]));
  return full.functions
    .filter((f) => f.owner !== 'ia-connectors' && f.owner !== '(idle)' && f.owner !== 'benchmark')
    .map((f) => {
      const rawUs = rawByKey.get(`${f.name}@${f.where}`) ?? 0;
      const fullUs = f.selfUs / full.calls;
      return { ...f, fullUs, rawUs, diff: fullUs - rawUs };
    })
    .sort((a, b) => b.diff - a.diff);
}

function readArgs(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(2);
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
