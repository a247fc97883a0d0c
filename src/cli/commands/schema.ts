import { z } from 'zod';
import { pipelineSchema } from '../../pipeline/schema.js';
import { connectorsFileJsonSchema } from '../../registry/json-schema.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import type { CommandContext } from './context.js';

/**
 * `ia-connectors schema [--pipeline]`: prints the JSON Schema of connectors files (or of
 * pipelines), for editors: `ia-connectors schema > connectors.schema.json`.
 *
 * @example
 * ```ts
 * import { schemaCommand } from './schema.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await schemaCommand({ pipeline: false }, ctx);
 * ```
 */
export async function schemaCommand(options: { pipeline?: boolean }, ctx: CommandContext): Promise<ExitCode> {
  const schema = options.pipeline ? pipelineJsonSchema() : connectorsFileJsonSchema();
  ctx.io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return EXIT_CODES.ok;
}

function pipelineJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(pipelineSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { ...schema, title: 'ia-connectors pipeline', description: 'An ia_modules JSON pipeline: parameters, steps, flow and outputs.' };
}
