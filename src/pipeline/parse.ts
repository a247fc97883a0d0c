import { configErrorFrom } from '../core/config.js';
import { ConnectorError } from '../core/errors.js';
import { pipelineSchema, type Pipeline } from './schema.js';

/**
 * Parses a pipeline from JSON text or an already-decoded object. Only the shape is
 * checked here; {@link validatePipeline} checks the graph, step types and templates.
 *
 * @throws `PIPELINE` {@link ConnectorError} naming each bad field and how to fix it.
 * @example
 * ```ts
 * import { parsePipeline } from 'ia-connectors';
 * import { readFile } from 'node:fs/promises';
 * const pipeline = parsePipeline(await readFile('user-report.pipeline.json', 'utf8'));
 * ```
 */
export function parsePipeline(json: unknown): Pipeline {
  const value = typeof json === 'string' ? decode(json) : json;
  const result = pipelineSchema.safeParse(value);
  if (result.success) return result.data;
  // configErrorFrom words the issues well; only the code is wrong for a pipeline.
  const configError = configErrorFrom(result.error, pipelineSubject(value));
  throw new ConnectorError('PIPELINE', configError.message, { details: configError.details });
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConnectorError('PIPELINE', `invalid pipeline: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

function pipelineSubject(value: unknown): string {
  const name = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['name'] : undefined;
  return typeof name === 'string' ? `pipeline "${name}"` : 'pipeline';
}
