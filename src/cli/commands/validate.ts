import { extname } from 'node:path';
import { parse } from 'yaml';
import { ConnectorError } from '../../core/errors.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { parseJsonText } from '../json-syntax.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import { checkPipelineText } from '../load-pipeline.js';
import { assertConnectorsKnown, connectorUses } from '../pipeline-connectors.js';
import { readTextFile } from '../read-file.js';
import { parseConnectorsText } from '../../registry/load.js';
import { attachSource } from '../sourced-error.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * Options of `ia-connectors validate`.
 *
 * @example
 * ```ts
 * import type { ValidateCommandOptions } from './validate.js';
 * const o: ValidateCommandOptions = { connectors: 'connectors.yaml', secrets: true };
 * ```
 */
export interface ValidateCommandOptions {
  /** For a pipeline: also check that the connectors it names are in this file. */
  connectors?: string;
  /** For a connectors file: also check that its secret references resolve. @default true */
  secrets?: boolean;
}

/**
 * `ia-connectors validate <file>`: checks a connectors file or a pipeline (told apart by
 * content: a `connectors` list, or `steps` and `flow`) without contacting anything.
 * Prints what it found and exits 0, or prints each problem with its line and exits 2.
 *
 * @example
 * ```ts
 * import { validateCommand } from './validate.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await validateCommand('examples/demo.pipeline.json', { connectors: 'examples/sandbox.connectors.yaml' }, ctx);
 * ```
 */
export async function validateCommand(file: string, options: ValidateCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const text = await readTextFile(file, io.cwd, 'connectors or pipeline');
  const kind = detect(text, file);
  if (kind === 'connectors') {
    const loaded = parseConnectorsText(text, file);
    // registryFor resolves (and so checks) every secret reference without connecting.
    if (options.secrets !== false) await (await registryFor(loaded, io)).closeAll();
    const list = loaded.connectors.map((c) => `${c.name} (${c.protocol})`).join(', ');
    writeLines(io.stdout, [`ok: connectors file ${file}: ${loaded.connectors.length} connector${loaded.connectors.length === 1 ? '' : 's'}: ${list}`]);
    return EXIT_CODES.ok;
  }
  const { pipeline, source } = checkPipelineText(text, file);
  const uses = connectorUses(pipeline);
  if (options.connectors !== undefined) {
    const connectors = await readConnectorsFile(options.connectors, io.cwd);
    try {
      assertConnectorsKnown(uses, connectors.connectors.map((c) => c.name), connectors.file);
    } catch (error) {
      throw attachSource(error as ConnectorError, source);
    }
  }
  const names = [...new Set(uses.map((u) => u.name))];
  const steps = `${pipeline.steps.length} step${pipeline.steps.length === 1 ? '' : 's'}`;
  writeLines(io.stdout, [`ok: pipeline "${pipeline.name}" in ${file}: ${steps}${names.length > 0 ? `, connectors ${names.join(', ')}` : ''}`]);
  return EXIT_CODES.ok;
}

function detect(text: string, file: string): 'connectors' | 'pipeline' {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    // Let the right parser report the syntax error with its position.
    if (extname(file).toLowerCase() === '.json' && /"(steps|flow)"\s*:/.test(text)) parseJsonText(text, file, 'PIPELINE');
    if (/"?connectors"?\s*:/.test(text)) return 'connectors';
    parseJsonText(text, file, 'CONFIG');
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if ('connectors' in value) return 'connectors';
    if ('steps' in value || 'flow' in value) return 'pipeline';
  }
  throw new ConnectorError(
    'CONFIG',
    `${file}: neither a connectors file (a "connectors" list) nor a pipeline ("steps" and "flow"); check that you passed the right file`,
  );
}
