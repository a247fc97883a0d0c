import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConnectorError } from '../../core/errors.js';
import type { RunResult } from '../../pipeline/run-types.js';
import { Redaction, type RedactorSource } from '../logging/redaction.js';
import type { Observer } from '../observer.js';
import { BodyBudget } from './bodies.js';
import { buildReportData, type ReportMeta } from './build-data.js';
import { ReportCollector } from './collector.js';
import type { ReportData } from './model.js';
import { renderPage } from './page.js';

/**
 * Options of {@link runReport}.
 *
 * @example
 * ```ts
 * import type { RunReportOptions } from 'ia-connectors';
 * const o: RunReportOptions = { maxCalls: 1000, maxBodyBytes: 8192 };
 * ```
 */
export interface RunReportOptions {
  /** Requests recorded at most (default 5000); later ones are counted and the page says so. */
  maxCalls?: number;
  /** Steps recorded at most, foreach items included (default 5000). */
  maxSteps?: number;
  /** Characters kept of each request or response body (default 16 384). */
  maxBodyBytes?: number;
  /** Characters kept of all bodies together (default 16 MiB); later bodies are left out. */
  maxTotalBodyBytes?: number;
  /** Rules on top of the built-in ones; pass the connectors' redactors so their secrets are known. */
  redactor?: RedactorSource;
}

/**
 * A run report: `observer` records what happens, `render` turns it into the page.
 *
 * @example
 * ```ts
 * import { runReport, type RunReport } from 'ia-connectors';
 * const report: RunReport = runReport();
 * ```
 */
export interface RunReport {
  /** Pass it to the connectors and to `runPipeline` as one of their observers. */
  readonly observer: Observer;
  /** The data the page embeds: steps, calls, counts, what the limits left out. */
  data(result?: RunResult, meta?: ReportMeta): ReportData;
  /** One self-contained HTML page (inline CSS and JS, no external resource). */
  render(result?: RunResult, meta?: ReportMeta): string;
  /** Renders and writes the page to `file`, creating its folder; returns the absolute path. */
  write(file: string, result?: RunResult, meta?: ReportMeta): Promise<string>;
}

/**
 * Records a pipeline run for a self-contained HTML page: a waterfall of steps and
 * their requests on a time axis (attempts, retries, waits, refusals), where selecting
 * a request shows its redacted request and response. Recording costs nothing unless a
 * report is created; every recorded value passes the redaction utility, and the page's
 * size is bounded by the limits in {@link RunReportOptions}.
 *
 * @example
 * ```ts
 * import { createRestConnector, createStepRegistry, observeSteps, runPipeline, runReport } from 'ia-connectors';
 * declare const pipeline: import('ia-connectors').PipelineDefinition;
 * const report = runReport();
 * const users = createRestConnector({ name: 'users', baseUrl: 'https://api.example.com' }, { observers: [report.observer] });
 * const result = await runPipeline(pipeline, { connectors: { get: async () => users }, steps: observeSteps(createStepRegistry(), [report.observer]) });
 * await report.write('run-report.html', result, { pipeline: pipeline.name });
 * ```
 */
export function runReport(options: RunReportOptions = {}): RunReport {
  const limits = {
    maxCalls: positive(options.maxCalls, 5000, 'maxCalls'),
    maxSteps: positive(options.maxSteps, 5000, 'maxSteps'),
    maxBodyBytes: positive(options.maxBodyBytes, 16_384, 'maxBodyBytes'),
  };
  const maxTotal = positive(options.maxTotalBodyBytes, 16 * 1024 * 1024, 'maxTotalBodyBytes');
  const redaction = new Redaction(options.redactor);
  const bodies = new BodyBudget(redaction, limits.maxBodyBytes, maxTotal);
  const collector = new ReportCollector({ maxCalls: limits.maxCalls, maxSteps: limits.maxSteps, maxEventsPerCall: 200, maxAttemptsPerCall: 100 }, redaction, bodies);
  const data = (result?: RunResult, meta?: ReportMeta): ReportData => buildReportData(collector, redaction, limits, bodies.omitted, result, meta);
  const render = (result?: RunResult, meta?: ReportMeta): string => renderPage(data(result, meta));
  return {
    observer: collector.observer,
    data,
    render,
    async write(file, result, meta) {
      const path = resolve(file);
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, render(result, meta), 'utf8');
      } catch (error) {
        throw new ConnectorError('CONFIG', `run report: cannot write "${file}" (${redaction.text(error instanceof Error ? error.message : String(error))}); give a writable file path`, { cause: error });
      }
      return path;
    },
  };
}

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new ConnectorError('CONFIG', `runReport ${field}: must be a positive whole number, got ${String(value)}`);
  return value;
}
