import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ratio = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
const signed = (n) => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(1)}` : '–');
const percent = (n) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '–');
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(2);
const cell = (text) => String(text ?? '').replaceAll('|', '\\|');

/**
 * Renders a benchmark result as markdown: the environment, one table of medians
 * per scenario and concurrency (each row's ratio to its baseline in the same
 * round), the targets, memory and rate-limiter accuracy.
 *
 * @example
 * ```js
 * import { renderMarkdown } from './report.mjs';
 * process.stdout.write(renderMarkdown(result));
 * ```
 */
export function renderMarkdown(result) {
  const out = [];
  const { environment: env, options } = result;
  out.push('# ia-connectors benchmark', '');
  out.push(`- ${env.date}, Node ${env.node}, ${env.cpu} × ${env.cores}, load average at start ${env.loadAverage.map((l) => l.toFixed(2)).join(' / ')}`);
  out.push(`- ${env.pinning}`);
  out.push(
    `- ${options.rounds} interleaved rounds of ${options.durationMs} ms per row (after ${options.warmupMs} ms warm-up, ${options.firstWarmupMs} ms in the first round); medians over rounds${options.quick ? '; quick run' : ''}`,
  );
  out.push(`- build: ${env.build}`, '');
  if (result.throughput?.length) {
    out.push('## Throughput and latency', '');
    out.push(
      '`× base` is ops/s over the baseline (first row) measured in the same round; `+p50` is added median latency over the baseline; ' +
        '`CPU/op` is this client process\'s CPU time per call (user + system); `server` is the server process\'s share of its core; ' +
        '`clean` counts the rounds in which other processes left the machine alone (< 15% of a core) for both the row and its baseline: the medians use those rounds when there are any.',
      '',
    );
    for (const group of result.throughput) {
      out.push(`### ${group.title}, concurrency ${group.concurrency}`, '');
      const spread = group.baselineSpread;
      if (spread && spread.max > 0) {
        const swing = (spread.max - spread.min) / ((spread.max + spread.min) / 2);
        const warn = swing > 0.3 ? ' — noisy: trust CPU/op more than ops/s here' : '';
        out.push(`Baseline across undisturbed rounds: ${int(spread.min)}–${int(spread.max)} ops/s (±${Math.round(swing * 50)}%)${warn}.`, '');
      }
      if (group.foreignShare > 0.15) out.push(`Other processes took a median ${percent(group.foreignShare)} of a core during these windows.`, '');
      out.push('| client | ops/s | × base | p50 µs | +p50 µs | p99 µs | CPU/op µs | × CPU | server | clean | notes |');
      out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
      for (const r of group.rows) {
        if (r.skipped) {
          out.push(`| ${cell(r.label)} | – | – | – | – | – | – | – | – | – | ${cell(r.skipped)} |`);
          continue;
        }
        const errors = r.errors > 0 ? `; **${r.errors} errors**: ${r.firstError}` : '';
        out.push(
          `| ${cell(r.label)} | ${int(r.opsPerSec)} | ${ratio(r.ratio)} | ${fixed(r.p50Us)} | ${signed(r.addedP50Us)} | ${fixed(r.p99Us)} | ${fixed(r.cpuUsPerOp)} | ${ratio(r.cpuRatio)} | ${percent(r.serverCpuShare)} | ${r.cleanRounds}/${r.totalRounds} | ${cell(r.notes + errors)} |`,
        );
      }
      out.push('');
    }
  }
  if (result.targets?.length) {
    out.push('## Targets', '', '| target | measured | met |', '|---|--:|:-:|');
    for (const t of result.targets) out.push(`| ${cell(t.target)} | ${cell(t.measured)} | ${t.met === undefined ? '–' : t.met ? 'yes' : '**no**'} |`);
    out.push('');
  }
  if (result.memory?.length) {
    out.push('## Memory (after full GC)', '', '| run | requests | heap before MB | heap after MB | heap growth MB | RSS before MB | RSS after MB | errors |', '|---|--:|--:|--:|--:|--:|--:|--:|');
    for (const m of result.memory) {
      if (m.skipped) out.push(`| ${cell(m.label)} | ${int(m.count)} | – | – | – | – | – | ${cell(m.skipped)} |`);
      else out.push(`| ${cell(m.label)} | ${int(m.count)} | ${mb(m.heapBefore)} | ${mb(m.heapAfter)} | ${mb(m.heapGrowth)} | ${mb(m.rssBefore)} | ${mb(m.rssAfter)} | ${m.errors} |`);
    }
    out.push('');
  }
  if (result.limiter) {
    const l = result.limiter;
    out.push(`## Rate limiter accuracy (${l.rate}/s, burst ${l.burst}, ${l.seconds} s, 64 callers)`, '');
    out.push('| measure | value | bound |', '|---|--:|--:|');
    out.push(`| rate after the first second | ${l.steadyRate.toFixed(1)}/s (${(l.steadyRateError * 100).toFixed(2)}%) | ${l.rate}/s ± 1% |`);
    out.push(`| calls admitted in ${l.seconds} s | ${int(l.admitted)} | at most ${int(l.idealAdmitted)} (burst + rate × time) |`);
    for (const w of l.windows) out.push(`| largest in any ${w.ms} ms window | ${w.largest} | ${w.bound} (burst + rate × ${w.ms} ms) |`);
    if (l.errors > 0) out.push(`| errors | ${l.errors} | 0 (${cell(l.firstError)}) |`);
    out.push('');
  }
  if (result.redis) out.push(...renderRedis(result.redis));
  if (result.notes?.length) out.push('## Notes', '', ...result.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

function renderRedis(redis) {
  const out = ['## Redis stores', ''];
  if (redis.skipped) return [...out, `Skipped: ${cell(redis.skipped)}.`, ''];
  const { memory, oneProcess, fourProcesses } = redis.limiter;
  out.push('Rate-limit acquisitions through the limiter (a limit far above the load, 64 callers per process; each Redis acquisition is one Lua script call).', '');
  out.push('| store | acquisitions/s | p50 µs | p99 µs | Redis round trips per acquisition |', '|---|--:|--:|--:|--:|');
  out.push(`| memory, 1 process | ${int(memory.opsPerSec)} | ${fixed(memory.p50Us)} | ${fixed(memory.p99Us)} | – |`);
  out.push(`| Redis, 1 process | ${int(oneProcess.opsPerSec)} | ${fixed(oneProcess.p50Us)} | ${fixed(oneProcess.p99Us)} | ${fixed(oneProcess.roundTripsPerOp, 2)} |`);
  out.push(`| Redis, ${fourProcesses.processes} processes together | ${int(fourProcesses.opsPerSec)} (${fourProcesses.perProcess.map(int).join(' + ')}) | – | – | – |`, '');
  out.push('REST full chain (bearer, retry, breaker, rate limit, timeouts), GET /item, memory stores against Redis stores in the same rounds.', '');
  out.push('| concurrency | memory ops/s | Redis ops/s | × memory | memory p50 µs | Redis p50 µs | Redis p99 µs | Redis round trips per call | errors |', '|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const row of redis.chain) {
    const errors = row.memory.errors + row.redis.errors;
    out.push(
      `| ${row.concurrency} | ${int(row.memory.opsPerSec)} | ${int(row.redis.opsPerSec)} | ${ratio(row.redis.opsPerSec / row.memory.opsPerSec)} | ${fixed(row.memory.p50Us)} | ${fixed(row.redis.p50Us)} | ${fixed(row.redis.p99Us)} | ${fixed(row.redis.roundTripsPerOp, 2)} | ${errors}${errors > 0 ? ` (${cell(row.redis.firstError ?? row.memory.firstError)})` : ''} |`,
    );
  }
  out.push('');
  return out;
}

/**
 * Writes `latest.md` and `latest.json` into `dir`.
 *
 * @example
 * ```js
 * import { writeResults } from './report.mjs';
 * writeResults('bench/results', result, markdown);
 * ```
 */
export function writeResults(dir, result, markdown) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), markdown);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
}
