import { isConnectorError } from '../core/errors.js';
import type { ConnectorLookup } from '../pipeline/connectors.js';
import { createStepRegistry } from '../pipeline/builtins.js';
import { runPipeline } from '../pipeline/run.js';
import type { Observer } from '../observability/observer.js';
import { observeSteps } from '../observability/steps.js';
import type { RunResult } from '../pipeline/run-types.js';
import type { Pipeline } from '../pipeline/schema.js';
import type { CommandContext } from './commands/context.js';
import { writeLines } from './commands/context.js';
import { formatError } from './format-error.js';
import { EXIT_CODES, exitCodeFor, type ExitCode } from './io.js';
import type { LoadedPipeline } from './load-pipeline.js';
import { observeConnectors } from './progress/observe-connectors.js';
import { createReporter, type Reporter } from './progress/reporter.js';
import { attachSource } from './sourced-error.js';
import { summaryLines } from './summary.js';

/**
 * How `run` and `demo` present a run.
 *
 * @example
 * ```ts
 * import type { PresentOptions } from './run-pipeline.js';
 * const o: PresentOptions = { json: false, quiet: false, parameters: { username: 'ada' }, input: {} };
 * ```
 */
export interface PresentOptions {
  json: boolean;
  quiet: boolean;
  parameters: Record<string, unknown>;
  input: Record<string, unknown>;
  /** Observers of every step (logs, the run report, tracing); the connectors carry their own. */
  observers?: readonly Observer[];
  /** Called with the result (or undefined when the run could not start) before it is printed; returns lines for stderr. */
  finish?: (result: RunResult | undefined) => Promise<string[]>;
}

/**
 * Runs a loaded pipeline with progress on stderr, then prints the result: the JSON
 * result alone on stdout with `json`, else the summary table and the outputs. A failed
 * run also prints its error on stderr. Returns 0, 1 (a step failed) or 2 (the failure
 * is the pipeline's or the configuration's own, such as a template reading a missing field).
 *
 * @example
 * ```ts
 * import { presentRun } from './run-pipeline.js';
 * declare const ctx: import('./commands/context.js').CommandContext;
 * declare const loaded: import('./load-pipeline.js').LoadedPipeline;
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const code = await presentRun(loaded, registry, { json: true, quiet: true, parameters: {}, input: {} }, ctx);
 * ```
 */
export async function presentRun(loaded: LoadedPipeline, connectors: ConnectorLookup, options: PresentOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const reporter = createReporter(io.stderr, { quiet: options.quiet });
  const observed = observeConnectors(connectors, (activity) => reporter.connector(activity));
  let result: RunResult;
  try {
    result = await run(loaded.pipeline, observed, options, io.signal, (event) => reporter.pipeline(event));
  } catch (error) {
    reporter.stop();
    // The run's own error is the one to report; files it leaves behind are a side note.
    await options.finish?.(undefined).then(
      (lines) => writeLines(io.stderr, lines),
      () => undefined,
    );
    throw isConnectorError(error) ? attachSource(error, loaded.source) : error;
  } finally {
    reporter.stop();
    observed.dispose();
  }
  if (options.finish) writeLines(io.stderr, await options.finish(result));
  return presentResult(result, reporter, loaded, options.json, ctx);
}

/**
 * Prints a finished run as `run` does: the JSON result alone on stdout with `json`,
 * else the summary table and the outputs; a failed run also prints its error on
 * stderr. Returns the exit code.
 *
 * @example
 * ```ts
 * import { presentResult } from './run-pipeline.js';
 * import { createReporter } from './progress/reporter.js';
 * declare const ctx: import('./commands/context.js').CommandContext;
 * declare const loaded: import('./load-pipeline.js').LoadedPipeline;
 * declare const result: import('ia-connectors').RunResult;
 * const code = presentResult(result, createReporter(ctx.io.stderr, { quiet: true }), loaded, true, ctx);
 * ```
 */
export function presentResult(result: RunResult, reporter: Reporter, loaded: LoadedPipeline, json: boolean, { io }: CommandContext): ExitCode {
  if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else writeLines(io.stdout, [...summaryLines(result, reporter.stats), ...outputLines(result)]);
  if (result.status === 'succeeded') return EXIT_CODES.ok;
  const error = result.error ?? { code: 'STEP' as const, message: 'the run failed' };
  const named = error.stepId === undefined || error.message.startsWith(`step "${error.stepId}"`);
  const message = named ? error.message : `step "${error.stepId}": ${error.message}`;
  writeLines(io.stderr, formatError(Object.assign(new Error(message), { code: error.code }), { source: loaded.source }));
  return exitCodeFor(error.code);
}

function run(pipeline: Pipeline, connectors: ConnectorLookup, options: PresentOptions, signal: AbortSignal | undefined, onEvent: Parameters<typeof runPipeline>[1]['onEvent']) {
  const steps = options.observers && options.observers.length > 0 ? { steps: observeSteps(createStepRegistry(), options.observers) } : {};
  return runPipeline(pipeline, { connectors, parameters: options.parameters, input: options.input, ...steps, ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) });
}

// One line per output: a glance, not the data; --json gives the data.
function outputLines(result: RunResult): string[] {
  const entries = Object.entries(result.outputs);
  if (result.status !== 'succeeded' || entries.length === 0) return [];
  return ['', 'outputs:', ...entries.map(([name, value]) => `  ${name}: ${shorten(JSON.stringify(value) ?? 'undefined', 100)}`)];
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
