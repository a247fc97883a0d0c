import type { z } from 'zod';
import type { Issue } from './origins.js';
import { knownKeysAt } from './schema-keys.js';
import { closestMatch } from './suggest.js';

/**
 * Turns a zod error into one {@link Issue} per problem. An unknown-keys issue becomes
 * one issue per key, placed at the key, with the likely intended name when one is
 * close (`baseURL` → did you mean "baseUrl"?).
 *
 * @example
 * ```ts
 * import { issuesFromZod } from './issues.js';
 * import { connectorConfigSchema } from 'ia-connectors';
 * const input = { name: 'a', baseURL: 'https://x.test' };
 * const result = connectorConfigSchema.safeParse(input);
 * if (!result.success) issuesFromZod(result.error, connectorConfigSchema, input);
 * ```
 */
export function issuesFromZod(error: z.ZodError, schema: z.core.$ZodType, input: unknown): Issue[] {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') {
      issues.push({ path: [...issue.path], message: issue.message });
      continue;
    }
    const known = knownKeysAt(schema, issue.path, input);
    for (const key of issue.keys) {
      const guess = closestMatch(key, known);
      const fix = guess === undefined ? 'check the spelling or remove it' : `did you mean "${guess}"?`;
      issues.push({ path: [...issue.path, key], message: `unknown field "${key}"; ${fix}`, atKey: true });
    }
  }
  return issues;
}
