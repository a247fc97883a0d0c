import { z } from 'zod';
import { connectorsFileSchema } from './file-schema.js';

/**
 * The JSON Schema (draft 2020-12) of a connectors file, generated from the zod schemas
 * the loader validates with, so editors check files exactly as the library does (apart
 * from cross-field rules). Point an editor at it with `# yaml-language-server:
 * $schema=./connectors.schema.json` or `"$schema"` in a JSON file.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { connectorsFileJsonSchema } from 'ia-connectors';
 * await writeFile('connectors.schema.json', JSON.stringify(connectorsFileJsonSchema(), null, 2));
 * ```
 */
export function connectorsFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(connectorsFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return {
    ...schema,
    title: 'ia-connectors connectors file',
    description: 'Named connectors (camelCase, or the legacy snake_case form) and optional shared defaults.',
  };
}
