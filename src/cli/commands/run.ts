import { ConnectorError } from '../../core/errors.js';
import type { ExitCode } from '../io.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import { loadPipelineFile } from '../load-pipeline.js';
import { assertConnectorsKnown, connectorUses } from '../pipeline-connectors.js';
import { readTextFile } from '../read-file.js';
import { presentRun } from '../run-pipeline.js';
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
export interface RunCommandOptions {
  connectors: string;
  input?: string;
  inputFile?: string;
  param?: string[];
  json?: boolean;
  quiet?: boolean;
}

/**
 * `ia-connectors run <pipeline.json> --connectors <file>`: checks the command line, the
 * pipeline, the connectors it names and their secrets before anything is sent, then
 * runs it with live progress.
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
