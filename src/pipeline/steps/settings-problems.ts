import type { z } from 'zod';
import { formatPath } from '../../core/config.js';
import { hasTemplate } from '../template.js';

/**
 * Checks a step's `config` against its schema before the run, skipping values that are
 * still `{{ templates }}` (they are checked once resolved). Returns one line per
 * problem, each naming `config.<path>`; empty when the settings are fine.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { settingsProblems } from './settings-problems.js';
 * settingsProblems(z.object({ connector: z.string() }).strict(), { connector: 'users', extra: 1 });
 * // ['config: unknown setting(s) "extra"; check the spelling']
 * ```
 */
export function settingsProblems(schema: z.ZodType, config: Record<string, unknown>): string[] {
  const parsed = schema.safeParse(config);
  if (parsed.success) return [];
  return parsed.error.issues
    .filter((issue) => issue.code === 'unrecognized_keys' || !isTemplated(config, issue.path))
    .map((issue) => {
      const path = formatPath(['config', ...issue.path]);
      if (issue.code !== 'unrecognized_keys') return `${path}: ${issue.message}`;
      return `${path}: unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling`;
    });
}

/** True when the value at `path`, or a string on the way to it, holds a template. */
function isTemplated(root: unknown, path: readonly PropertyKey[]): boolean {
  let value = root;
  for (const key of path) {
    if (typeof value === 'string' && hasTemplate(value)) return true;
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return containsTemplate(value);
}

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsTemplate);
  return false;
}
