import type { RunResult } from '../pipeline/run-types.js';
import { formatDuration } from './progress/describe.js';
import type { RunStats } from './progress/run-stats.js';

/**
 * Lays out rows as a plain-text table: the first row is the header, numbers are
 * right-aligned.
 *
 * @example
 * ```ts
 * import { table } from './summary.js';
 * table([['STEP', 'STATUS'], ['load', 'succeeded']]); // ['STEP  STATUS', 'load  succeeded']
 * ```
 */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const numeric = widths.map((_, i) => rows.slice(1).every((row) => /^[\d.,]+( ms| s)?$|^-$/.test(row[i] ?? '-')));
  return rows.map((row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The summary of a run: one row per step (status, duration, requests made with
 * retries, items fetched) and a totals line with retries and rate-limit waits.
 *
 * @example
 * ```ts
 * import { summaryLines } from './summary.js';
 * import { RunStats } from './progress/run-stats.js';
 * declare const result: import('ia-connectors').RunResult;
 * console.log(summaryLines(result, new RunStats()).join('\n'));
 * ```
 */
export function summaryLines(result: RunResult, stats: RunStats): string[] {
  const rows: string[][] = [['STEP', 'STATUS', 'DURATION', 'ATTEMPTS', 'ITEMS']];
  const counts = { succeeded: 0, failed: 0, skipped: 0 };
  let requests = 0;
  for (const [id, record] of Object.entries(result.steps)) {
    counts[record.status] += 1;
    requests += record.attempts ?? 0;
    const items = stats.itemsOf(id) ?? itemsIn(record.result);
    rows.push([
      id,
      record.status,
      record.durationMs === undefined ? '-' : formatDuration(record.durationMs),
      record.attempts === undefined ? '-' : String(record.attempts),
      items === undefined ? '-' : String(items),
    ]);
  }
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const steps = Object.keys(result.steps).length;
  const waits = `${stats.waits} rate-limit wait${stats.waits === 1 ? '' : 's'}${stats.waits > 0 ? ` (${formatDuration(stats.waitedMs)})` : ''}`;
  const totals = [
    `${steps} step${steps === 1 ? '' : 's'}: ${parts.join(', ')}`,
    `${requests} request${requests === 1 ? '' : 's'}`,
    `${stats.retries} retr${stats.retries === 1 ? 'y' : 'ies'}`,
    waits,
    `${formatDuration(result.durationMs)} in all`,
  ];
  return [...table(rows), '', totals.join(' | ')];
}

/** A list result's length, or the length of the one list a result holds (`{ users: [...] }`). */
function itemsIn(result: unknown): number | undefined {
  if (Array.isArray(result)) return result.length;
  if (typeof result !== 'object' || result === null) return undefined;
  const values = Object.values(result);
  return values.length === 1 && Array.isArray(values[0]) ? values[0].length : undefined;
}
