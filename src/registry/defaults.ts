import type { Origin } from './origins.js';

/** Settings taken whole, never merged field by field: a connector's `store: { type: memory }` must not inherit a default Redis URL. */
const WHOLE = new Set(['store']);

/**
 * Merges a file's `defaults` under one connector: the connector's values win, plain
 * objects merge field by field (except `store`, taken whole), arrays and scalars are
 * replaced whole. Only keys in `accepted` (the fields the connector's protocol has)
 * are applied. Returns the merged config and, for each value taken from the defaults,
 * its origin in the file, so an error in a default is reported at `defaults.…`.
 *
 * @example
 * ```ts
 * import { mergeDefaults } from './defaults.js';
 * const { config } = mergeDefaults({ name: 'a', timeout: { total: 5000 } }, { timeout: { connect: 1000 } }, new Set(['timeout']));
 * config.timeout; // { connect: 1000, total: 5000 }
 * ```
 */
export function mergeDefaults(
  connector: Record<string, unknown>,
  defaults: Record<string, unknown> | undefined,
  accepted: ReadonlySet<string>,
): { config: Record<string, unknown>; origins: Origin[] } {
  const origins: Origin[] = [];
  if (!defaults) return { config: connector, origins };
  const config = { ...connector };
  for (const [key, value] of Object.entries(defaults)) {
    if (!accepted.has(key) || value === undefined) continue;
    config[key] = WHOLE.has(key) && config[key] !== undefined ? config[key] : merge(config[key], value, [key], origins);
  }
  return { config, origins };
}

function merge(own: unknown, fallback: unknown, path: PropertyKey[], origins: Origin[]): unknown {
  if (own === undefined) {
    origins.push({ target: path, source: ['defaults', ...path] });
    return fallback;
  }
  if (!isPlainObject(own) || !isPlainObject(fallback)) return own;
  const out: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(fallback)) out[key] = merge(own[key], value, [...path, key], origins);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
