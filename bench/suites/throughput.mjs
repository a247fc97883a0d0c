import { Pool } from 'undici';
import { measure } from '../lib/load.mjs';
import { machineBusyMs } from '../lib/processes.mjs';
import { waitForQuiet } from '../lib/quiet.mjs';
import { median } from '../lib/stats.mjs';
import { SCENARIOS } from './scenarios.mjs';

/** Other processes using more than this share of a core during a window disturb it. */
const DISTURBED = 0.15;

/**
 * The interleaved throughput runs. Every client is created once; then each round
 * measures every row of every scenario and concurrency, in reverse order on
 * even rounds so that drift (a warming machine, a neighbour's load) falls on all
 * rows alike. A row's ratio is taken against its baseline in the same round, and
 * the report gives the median over rounds. A window during which other processes
 * took more than 15% of a core is measured again, up to twice, after waiting (up
 * to 5 s) for them to quieten, within `remeasureBudgetMs` for the whole run; the
 * least disturbed window counts, and the summary uses only the rounds in which
 * neither a row nor its baseline was disturbed (all rounds when none was clean).
 *
 * @example
 * ```js
 * import { runThroughput } from './throughput.mjs';
 * const { groups } = await runThroughput({ lib, servers, options: { rounds: 3, durationMs: 600, warmupMs: 200, firstWarmupMs: 300, remeasureBudgetMs: 60_000, only: [] }, log: console.error });
 * ```
 */
export async function runThroughput({ lib, servers, options, log }) {
  const scenarios = SCENARIOS.filter((s) => options.only.length === 0 || options.only.includes(s.id));
  const instances = new Map();
  const skipped = new Map();
  const headerNotes = new Map();
  const baselineHeaders = new Map();
  try {
    for (const scenario of scenarios) {
      for (const row of scenario.rows) {
        const id = `${scenario.id}/${row.key}`;
        const reason = row.unavailable?.(lib);
        if (reason) {
          skipped.set(id, reason);
          log(`  ${scenario.id} ${row.label}: ${reason}`);
          continue;
        }
        try {
          const instance = await row.create({ lib, kind: scenario.kind, ...servers.endpoints });
          await instance.call();
          instances.set(id, instance);
          if (scenario.server === 'http') {
            const sent = await sentHeaders(servers.endpoints.origin, instance);
            if (row === scenario.rows[0]) baselineHeaders.set(scenario.id, sent);
            else if (baselineHeaders.has(scenario.id)) headerNotes.set(id, headerDifference(baselineHeaders.get(scenario.id), sent));
          }
        } catch (error) {
          skipped.set(id, `not available: failed to start (${String(error?.message ?? error).slice(0, 200)})`);
          log(`  ${scenario.id} ${row.label}: could not start: ${error?.stack ?? error}`);
        }
      }
    }
    const remeasure = { count: 0, spentMs: 0 };
    const groups = scenarios.flatMap((scenario) => scenario.concurrencies.map((concurrency) => ({ scenario, concurrency, rounds: new Map() })));
    for (let round = 1; round <= options.rounds; round++) {
      for (const group of groups) {
        const rows = round % 2 === 1 ? group.scenario.rows : [...group.scenario.rows].reverse();
        for (const row of rows) {
          const instance = instances.get(`${group.scenario.id}/${row.key}`);
          if (!instance) continue;
          // The first round also warms the JIT and opens the connections; later rounds only settle the pool.
          const settings = {
            concurrency: group.concurrency,
            durationMs: options.durationMs,
            warmupMs: round === 1 ? options.firstWarmupMs : options.warmupMs,
            serverCpuMs: servers.byName[group.scenario.server].cpuMs,
            machineBusyMs,
          };
          let m = await measure(instance.call, settings);
          // A window in which other processes took a real share of the machine is measured again (within a budget).
          for (let retry = 0; retry < 2 && m.foreignShare > DISTURBED && remeasure.spentMs < options.remeasureBudgetMs; retry++) {
            const waitedMs = await waitForQuiet({ maxMs: Math.min(5000, options.remeasureBudgetMs - remeasure.spentMs), threshold: DISTURBED });
            const again = await measure(instance.call, settings);
            remeasure.spentMs += waitedMs + settings.durationMs + settings.warmupMs;
            remeasure.count++;
            if (again.foreignShare < m.foreignShare) m = again;
          }
          if (!group.rounds.has(row.key)) group.rounds.set(row.key, []);
          group.rounds.get(row.key).push(m);
          const errors = m.errors > 0 ? `, ${m.errors} errors (${m.firstError})` : '';
          const others = m.foreignShare > DISTURBED ? `, other processes took ${Math.round(m.foreignShare * 100)}% of a core` : '';
          log(`  round ${round}/${options.rounds}  ${group.scenario.id} c${group.concurrency}  ${row.label}: ${Math.round(m.opsPerSec).toLocaleString('en-US')}/s${errors}${others}`);
        }
      }
    }
    if (remeasure.count > 0) log(`  ${remeasure.count} windows measured again because other processes were busy`);
    return { groups: groups.map((group) => summariseGroup(group, skipped, headerNotes)), remeasured: remeasure.count };
  } finally {
    for (const instance of instances.values()) await instance.close().catch(() => undefined);
  }
}

function summariseGroup({ scenario, concurrency, rounds }, skipped, headerNotes) {
  const baseline = rounds.get(scenario.rows[0].key) ?? [];
  const rows = scenario.rows.map((row) => {
    const id = `${scenario.id}/${row.key}`;
    const all = rounds.get(row.key);
    const notes = [row.notes, headerNotes.get(id)].filter(Boolean).join('; ');
    if (!all) return { key: row.key, label: row.label, notes, skipped: skipped.get(id) ?? 'not measured' };
    // Rounds in which neither this row's window nor its baseline's was disturbed by other processes are
    // the evidence; the others count only when no round was clean.
    const pairs = all.map((m, i) => ({ m, b: baseline[i] }));
    const clean = pairs.filter(({ m, b }) => !(m.foreignShare > DISTURBED) && b !== undefined && !(b.foreignShare > DISTURBED));
    const used = clean.length > 0 ? clean : pairs;
    const of = (fn) => median(used.map(({ m }) => fn(m)));
    const vsBase = (fn) => median(used.map(({ m, b }) => (b ? fn(m, b) : Number.NaN)));
    return {
      key: row.key,
      label: row.label,
      notes,
      cleanRounds: clean.length,
      totalRounds: all.length,
      opsPerSec: of((m) => m.opsPerSec),
      ratio: vsBase((m, b) => m.opsPerSec / b.opsPerSec),
      p50Us: of((m) => m.p50Us),
      addedP50Us: vsBase((m, b) => m.p50Us - b.p50Us),
      p99Us: of((m) => m.p99Us),
      cpuUsPerOp: of((m) => m.cpuUsPerOp),
      cpuRatio: vsBase((m, b) => m.cpuUsPerOp / b.cpuUsPerOp),
      addedCpuUs: vsBase((m, b) => m.cpuUsPerOp - b.cpuUsPerOp),
      serverCpuShare: of((m) => m.serverCpuShare),
      foreignShare: of((m) => m.foreignShare),
      errors: all.reduce((sum, m) => sum + m.errors, 0),
      firstError: all.find((m) => m.firstError)?.firstError,
      rounds: all.map((m) => ({ opsPerSec: m.opsPerSec, p50Us: m.p50Us, p99Us: m.p99Us, cpuUsPerOp: m.cpuUsPerOp, errors: m.errors, foreignShare: m.foreignShare })),
    };
  });
  const baseOps = baseline.filter((m) => !(m.foreignShare > DISTURBED)).map((m) => m.opsPerSec);
  const spread = baseOps.length > 1 ? { min: Math.min(...baseOps), max: Math.max(...baseOps) } : undefined;
  const foreignShare = median([...rounds.values()].flat().map((m) => m.foreignShare));
  return { scenario: scenario.id, title: scenario.title, concurrency, baseline: scenario.rows[0].label, baselineSpread: spread, foreignShare, rows };
}

/** The headers (lower-cased names) of one request the client sends, as the server received them. */
async function sentHeaders(origin, instance) {
  await instance.call();
  const pool = new Pool(origin, { connections: 1 });
  try {
    const { body } = await pool.request({ path: '/last-headers', method: 'GET' });
    const raw = await body.json();
    const sent = new Map();
    for (let i = 0; i < raw.length; i += 2) sent.set(raw[i].toLowerCase(), raw[i + 1]);
    return sent;
  } finally {
    await pool.close();
  }
}

/** How a client's headers differ from the baseline's, as a short note, or undefined when they match. */
function headerDifference(base, sent) {
  const added = [...sent.keys()].filter((k) => !base.has(k));
  const missing = [...base.keys()].filter((k) => !sent.has(k));
  const changed = [...sent.keys()].filter((k) => base.has(k) && k !== 'content-length' && base.get(k) !== sent.get(k));
  const parts = [];
  if (added.length) parts.push(`adds ${added.join(', ')}`);
  if (missing.length) parts.push(`omits ${missing.join(', ')}`);
  if (changed.length) parts.push(`changes ${changed.join(', ')}`);
  return parts.length ? `headers: ${parts.join('; ')}` : undefined;
}
