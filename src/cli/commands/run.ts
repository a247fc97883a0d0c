import { ConnectorError, isConnectorError } from '../../core/errors.js';
import { enqueueRun } from '../../distributed/enqueue.js';
import { followRun } from '../../distributed/follow.js';
import { redactRedisUrl, resolveRedisUrl } from '../../distributed/redis-url.js';
import type { RunResult } from '../../pipeline/run-types.js';
import { formatError } from '../format-error.js';
import { EXIT_CODES, exitCodeFor, type ExitCode } from '../io.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import { loadPipelineFile } from '../load-pipeline.js';
import { assertConnectorsKnown, connectorUses } from '../pipeline-connectors.js';
import { readTextFile } from '../read-file.js';
import type { LoadedPipeline } from '../load-pipeline.js';
import { createReporter, type Reporter } from '../progress/reporter.js';
import { presentRun } from '../run-pipeline.js';
import { attachSource } from '../sourced-error.js';
import { summaryLines } from '../summary.js';
import { parseJsonObject, parseParams } from '../values.js';
import { writeLines, type CommandContext } from './context.js';
import { whole } from './worker.js';

/**
 * Options of `ia-connectors run`.
 *
 * @example
 * ```ts
 * import type { RunCommandOptions } from './run.js';
 * const o: RunCommandOptions = { connectors: 'connectors.yaml', param: ['username=ada'], json: true };
 * ```
 */
export interface RunCommandOptions {
  connectors: string;
  input?: string;
  inputFile?: string;
  param?: string[];
  json?: boolean;
  quiet?: boolean;
  /** Redis URL (or `${env:…}` reference): enqueue the run for workers instead of running it here. */
  queue?: string;
  runId?: string;
  prefix?: string;
  connectTimeout?: string;
  /** With `queue`: print the run id and return without following the run. */
  detach?: boolean;
}

/**
 * `ia-connectors run <pipeline.json> --connectors <file>`: checks the command line, the
 * pipeline, the connectors it names and their secrets before anything is sent, then
 * runs it with live progress. With `queue`, the workers run it instead (see
 * `ia-connectors worker`): the run is enqueued, its progress followed, and its result
 * printed as a local run's would be; the connectors file is checked here all the same,
 * its secrets only on the workers, which resolve them from their own files.
 *
 * @example
 * ```ts
 * import { runCommand } from './run.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await runCommand('examples/user-report.pipeline.json', { connectors: 'examples/sandbox.connectors.yaml' }, ctx);
 * ```
 */
export async function runCommand(pipelineFile: string, options: RunCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const parameters = parseParams(options.param ?? []);
  const input = await readInput(options, io.cwd);
  const loaded = await loadPipelineFile(pipelineFile, io.cwd);
  const file = await readConnectorsFile(options.connectors, io.cwd);
  const uses = connectorUses(loaded.pipeline);
  try {
    assertConnectorsKnown(uses, file.connectors.map((c) => c.name), file.file);
  } catch (error) {
    throw attachSource(error as ConnectorError, loaded.source);
  }
  if (options.queue !== undefined) return runQueued(loaded, { parameters, input }, { ...options, queue: options.queue }, ctx);
  const registry = await registryFor(file, io, [...new Set(uses.map((u) => u.name))]);
  try {
    return await presentRun(loaded, registry, { json: options.json === true, quiet: options.quiet === true, parameters, input }, ctx);
  } finally {
    await registry.closeAll();
  }
}

async function readInput(options: RunCommandOptions, cwd: string): Promise<Record<string, unknown>> {
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new ConnectorError('CONFIG', '--input and --input-file both given; pass the run input one way');
  }
  if (options.input !== undefined) return parseJsonObject(options.input, '--input');
  if (options.inputFile !== undefined) return parseJsonObject(await readTextFile(options.inputFile, cwd, 'input'), options.inputFile);
  return {};
}

async function runQueued(
  loaded: LoadedPipeline,
  values: { parameters: Record<string, unknown>; input: Record<string, unknown> },
  options: RunCommandOptions & { queue: string },
  ctx: CommandContext,
): Promise<ExitCode> {
  const { io } = ctx;
  const target = {
    redis: await resolveRedisUrl(options.queue, { env: io.env, option: '--queue' }),
    connectTimeoutMs: whole(options.connectTimeout, '--connect-timeout', 5000),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
  let runId: string;
  try {
    ({ runId } = await enqueueRun({ ...target, pipeline: loaded.pipeline, ...values, ...(options.runId === undefined ? {} : { runId: options.runId }) }));
  } catch (error) {
    throw isConnectorError(error) && (error.code === 'PIPELINE' || error.code === 'TEMPLATE') ? attachSource(error, loaded.source) : error;
  }
  io.stderr.write(`run ${runId} queued on ${redactRedisUrl(target.redis)}\n`);
  if (options.detach) {
    io.stdout.write(options.json ? `${JSON.stringify({ runId })}\n` : `${runId}\n`);
    return EXIT_CODES.ok;
  }
  const reporter = createReporter(io.stderr, { quiet: options.quiet === true });
  let result: RunResult;
  try {
    result = await followRun(runId, {
      ...target,
      ...(io.signal ? { signal: io.signal } : {}),
      onEvent: (event) => {
        if (event.type === 'connector') reporter.connector(event.activity);
        else if (event.type === 'run_resumed') {
          if (!options.quiet) io.stderr.write(`run resumed by worker ${event.worker} (attempt ${event.attempt}), ${event.restoredSteps.length} finished steps kept\n`);
        } else if (event.type !== 'result') reporter.pipeline(event);
      },
    });
  } catch (error) {
    if (!isConnectorError(error) || error.code !== 'ABORTED') throw error;
    throw new ConnectorError('ABORTED', `${error.message}; see it with: ia-connectors status ${runId} --redis <url>`);
  } finally {
    reporter.stop();
  }
  return printResult(result, reporter, loaded, options.json === true, ctx);
}

// The same output as a local run: the result JSON alone, or the summary and outputs.
function printResult(result: RunResult, reporter: Reporter, loaded: LoadedPipeline, json: boolean, { io }: CommandContext): ExitCode {
  if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else writeLines(io.stdout, [...summaryLines(result, reporter.stats), ...outputLines(result)]);
  if (result.status === 'succeeded') return EXIT_CODES.ok;
  const error = result.error ?? { code: 'STEP' as const, message: 'the run failed' };
  const named = error.stepId === undefined || error.message.startsWith(`step "${error.stepId}"`);
  const message = named ? error.message : `step "${error.stepId}": ${error.message}`;
  writeLines(io.stderr, formatError(Object.assign(new Error(message), { code: error.code }), { source: loaded.source }));
  return exitCodeFor(error.code);
}

function outputLines(result: RunResult): string[] {
  const entries = Object.entries(result.outputs);
  if (result.status !== 'succeeded' || entries.length === 0) return [];
  const shorten = (text: string): string => (text.length > 100 ? `${text.slice(0, 99)}…` : text);
  return ['', 'outputs:', ...entries.map(([name, value]) => `  ${name}: ${shorten(JSON.stringify(value) ?? 'undefined')}`)];
}
