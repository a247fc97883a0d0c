import type { ErrorSource } from './format-error.js';

const sources = new WeakMap<object, ErrorSource>();

/**
 * Remembers which file an error is about, so the CLI can print `file:line:column`
 * without changing the error itself.
 *
 * @example
 * ```ts
 * import { attachSource } from './sourced-error.js';
 * throw attachSource(new Error('bad'), { file: 'pipeline.json' });
 * ```
 */
export function attachSource<E extends object>(error: E, source: ErrorSource): E {
  if (!sources.has(error)) sources.set(error, source);
  return error;
}

/**
 * The source attached to an error by {@link attachSource}, if any.
 *
 * @example
 * ```ts
 * import { attachSource, sourceOf } from './sourced-error.js';
 * sourceOf(attachSource(new Error('bad'), { file: 'p.json' }))?.file; // 'p.json'
 * ```
 */
export function sourceOf(error: unknown): ErrorSource | undefined {
  return typeof error === 'object' && error !== null ? sources.get(error) : undefined;
}
