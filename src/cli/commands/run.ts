import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { RunResult } from '../../pipeline/run-types.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import { loadPipelineFile } from '../load-pipeline.js';
import { assertConnectorsKnown, connectorUses } from '../pipeline-connectors.js';
import { readTextFile } from '../read-file.js';
import type { LoadedPipeline } from '../load-pipeline.js';
import { createReporter } from '../progress/reporter.js';
import { assertLocalRunFlags, runExtras, type RunExtrasOptions } from '../run-extras.js';
import { presentResult, presentRun } from '../run-pipeline.js';
import { attachSource } from '../sourced-error.js';
import { parseJsonObject, parseParams } from '../values.js';
import type { CommandContext } from './context.js';

/**
 * Options of `ia-connectors run`.
 *
 * @example
 * ```ts
 * import type { RunCommandOptions } from './run.js';
 * const o: RunCommandOptions = { connectors: 'connectors.yaml', param: ['username=ada'], json: true };
 * ```
 */
export interface RunCommandOptions extends RunExtrasOptions {
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
  if (options.queue !== undefined) {
    assertLocalRunFlags(options, '--queue');
    return runQueued(loaded, { parameters, input }, { ...options, queue: options.queue }, ctx);
  }
  const extras = runExtras(options, io);
  const registry = await registryFor(file, io, [...new Set(uses.map((u) => u.name))], { ...extras.connectors, onConnector: extras.onConnector });
  // JSON log lines and the live progress bar would interleave on stderr.
  const quiet = options.quiet === true || extras.logLevel !== 'silent';
  const finish = async (result: RunResult | undefined): Promise<string[]> => {
    // Cassettes are written when their connectors close, so close them first.
    await registry.closeAll();
    return extras.finish(result, loaded.pipeline.name);
  };
  try {
    return await presentRun(loaded, registry, { json: options.json === true, quiet, parameters, input, observers: extras.observers, finish }, ctx);
  } finally {
    // Idempotent: after `finish` it returns the same settled promise.
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
  // Only a queued run loads the distributed code (and with it BullMQ and ioredis).
  const [{ enqueueRun }, { followRun }, { redactRedisUrl, resolveRedisUrl }, { whole }] = await Promise.all([
    import('../../distributed/enqueue.js'),
    import('../../distributed/follow.js'),
    import('../../policies/stores/redis/redis-url.js'),
    import('./worker.js'),
  ]);
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
  return presentResult(result, reporter, loaded, options.json === true, ctx);
}
