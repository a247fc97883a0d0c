import type { RunResult } from '../../pipeline/run-types.js';
import type { Redaction } from '../logging/redaction.js';
import type { CallEntry, ReportCollector, StepRecordEntry } from './collector.js';
import type { ReportCall, ReportData, ReportStep } from './model.js';

/**
 * What the page says about the run beyond what was observed.
 *
 * @example
 * ```ts
 * import type { ReportMeta } from 'ia-connectors';
 * const meta: ReportMeta = { pipeline: 'user-report', title: 'Nightly user report' };
 * ```
 */
export interface ReportMeta {
  /** The pipeline's name, shown in the header. */
  pipeline?: string;
  /** The page title; default `Run report: <pipeline>`. */
  title?: string;
}

/**
 * Page limits shown to readers when something was left out.
 *
 * @example
 * ```ts
 * import type { DataLimits } from './build-data.js';
 * const limits: DataLimits = { maxCalls: 5000, maxSteps: 5000, maxBodyBytes: 16_384 };
 * ```
 */
export interface DataLimits {
  maxCalls: number;
  maxSteps: number;
  maxBodyBytes: number;
}

/**
 * Turns what the collector recorded, and the run's result, into the page's data.
 *
 * @example
 * ```ts
 * import { buildReportData } from './build-data.js';
 * declare const collector: import('./collector.js').ReportCollector;
 * declare const redaction: import('../logging/redaction.js').Redaction;
 * const data = buildReportData(collector, redaction, { maxCalls: 5000, maxSteps: 5000, maxBodyBytes: 16_384 }, 0);
 * ```
 */
export function buildReportData(collector: ReportCollector, redaction: Redaction, limits: DataLimits, omittedBodies: number, result?: RunResult, meta: ReportMeta = {}): ReportData {
  const generatedAt = Date.now();
  const recorded = collector.steps.map((s) => ({ ...s }));
  const extra = unobservedSteps(recorded, redaction, result);
  const starts = [...recorded.map((s) => s.start), ...extra.flatMap((s) => (s.start === undefined ? [] : [s.start])), ...collector.calls.map((c) => c.start)];
  const startedAt = starts.reduce((a, b) => Math.min(a, b), generatedAt);
  const ends = [...recorded.map((s) => s.end ?? generatedAt), ...collector.calls.map((c) => c.end ?? generatedAt), ...extra.flatMap((s) => (s.end === undefined ? [] : [s.end]))];
  const observedEnd = ends.reduce((a, b) => Math.max(a, b), startedAt);
  const rel = (t: number): number => Math.round((t - startedAt) * 10) / 10;

  const steps = [...recorded.map((s) => toReportStep(s, rel, result)), ...extra.map((s) => ({ ...s, ...(s.start === undefined ? {} : { start: rel(s.start) }), ...(s.end === undefined ? {} : { end: rel(s.end) }) }))];
  const calls = collector.calls.map((c) => toReportCall(c, rel));
  const events = calls.flatMap((c) => c.events);
  const status = result?.status ?? (steps.some((s) => s.status === 'failed') ? 'failed' : 'running');
  const pipeline = meta.pipeline === undefined ? undefined : redaction.text(meta.pipeline);
  return {
    version: 1,
    title: redaction.text(meta.title ?? (pipeline === undefined ? 'Run report' : `Run report: ${pipeline}`)),
    ...(pipeline === undefined ? {} : { pipeline }),
    status,
    startedAt,
    generatedAt,
    durationMs: Math.round(result?.durationMs ?? observedEnd - startedAt),
    ...(result?.error ? { error: { code: result.error.code, message: redaction.text(result.error.message), ...(result.error.stepId === undefined ? {} : { stepId: result.error.stepId }) } } : {}),
    counts: {
      steps: steps.length + collector.omittedSteps,
      succeeded: steps.filter((s) => s.status === 'succeeded').length,
      failed: steps.filter((s) => s.status === 'failed').length,
      skipped: steps.filter((s) => s.status === 'skipped').length,
      calls: calls.length + collector.omittedCalls,
      failedCalls: calls.filter((c) => c.ok === false).length,
      attempts: calls.reduce((n, c) => n + c.attempts.length + (c.omitted?.attempts ?? 0), 0),
      retries: events.filter((e) => e.name === 'retry').length,
      waits: events.filter((e) => e.name.endsWith('.wait')).length,
      rejections: events.filter((e) => e.name.endsWith('.rejected')).length,
    },
    steps,
    calls,
    omitted: { calls: collector.omittedCalls, steps: collector.omittedSteps, bodies: omittedBodies },
    limits: { ...limits },
  };
}

function toReportStep(s: StepRecordEntry, rel: (t: number) => number, result: RunResult | undefined): ReportStep {
  // The run's own record wins for the final status: a step the runner failed after the observer's end (an output check) is failed.
  const final = result?.steps[s.stepId];
  const status = s.status === 'running' && final !== undefined ? final.status : s.status;
  return {
    key: s.key,
    stepId: s.stepId,
    stepType: s.stepType,
    start: rel(s.start),
    ...(s.end === undefined ? {} : { end: rel(s.end) }),
    status,
    ...(s.error ? { error: s.error } : {}),
    ...(s.attempts === undefined ? {} : { attempts: s.attempts }),
  };
}

/** Steps the run reports but no observer saw start: skipped ones, or all of them when steps were not observed. */
function unobservedSteps(recorded: readonly StepRecordEntry[], redaction: Redaction, result: RunResult | undefined): (Omit<ReportStep, 'start' | 'end'> & { start?: number; end?: number })[] {
  if (result === undefined) return [];
  const seen = new Set(recorded.map((s) => s.stepId));
  return Object.entries(result.steps)
    .filter(([stepId]) => !seen.has(stepId))
    .map(([stepId, r], i) => {
      const start = r.startedAt === undefined ? undefined : Date.parse(r.startedAt);
      const known = start !== undefined && !Number.isNaN(start);
      return {
        key: `r${i + 1}`,
        stepId,
        status: r.status,
        ...(known ? { start } : {}),
        ...(known && r.durationMs !== undefined ? { end: start + r.durationMs } : {}),
        ...(r.error ? { error: { code: r.error.code, message: redaction.text(r.error.message) } } : {}),
        ...(r.attempts === undefined ? {} : { attempts: r.attempts }),
        ...(r.reason === undefined ? {} : { reason: redaction.text(r.reason) }),
      };
    });
}

function toReportCall(c: CallEntry, rel: (t: number) => number): ReportCall {
  const start = rel(c.start);
  return {
    id: c.id,
    step: c.step,
    connector: c.connector,
    protocol: c.protocol,
    name: c.name,
    attributes: c.attributes,
    start,
    ...(c.end === undefined ? {} : { end: Math.max(start, rel(c.end)) }),
    ...(c.ok === undefined ? {} : { ok: c.ok }),
    ...(c.status === undefined ? {} : { status: c.status }),
    ...(c.error ? { error: c.error } : {}),
    attempts: c.attempts.map((a) => ({ ...a, start: Math.max(start, rel(a.start)), ...(a.end === undefined ? {} : { end: Math.max(start, rel(a.end)) }) })),
    events: c.events.map((e) => ({ ...e, time: Math.max(start, rel(e.time)) })),
    ...(c.omitted.attempts + c.omitted.events > 0 ? { omitted: c.omitted } : {}),
    ...(c.request ? { request: c.request } : {}),
    ...(c.response ? { response: c.response } : {}),
  };
}
