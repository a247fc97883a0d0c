import { z } from 'zod';
import { formatPath } from '../core/config.js';

/**
 * A wait in milliseconds: a whole number from 0 up to one day. Zero is allowed
 * (no wait); a negative value is a configuration error.
 *
 * @example
 * ```ts
 * import { delayMs } from 'ia-connectors';
 * delayMs().parse(0);
 * ```
 */
export function delayMs(max = 86_400_000) {
  return z
    .number({ error: 'must be a number of milliseconds, e.g. 250' })
    .int({ error: 'must be a whole number of milliseconds, e.g. 250' })
    .min(0, { error: 'must not be negative; use 0 for no wait' })
    .max(max, { error: `must be at most ${max} ms` });
}

/**
 * A whole number of things (`calls`, `failures`) from `min` to `max`, with messages
 * that say what is expected; `minHint` explains the lower bound when it needs it.
 *
 * @example
 * ```ts
 * import { wholeNumber } from 'ia-connectors';
 * wholeNumber('calls', 10, 0, 1000, 'must not be negative; 0 refuses at once').parse(5);
 * ```
 */
export function wholeNumber(noun: string, example: number, min: number, max: number, minHint = `must be at least ${min}`) {
  const what = `must be a whole number of ${noun}, e.g. ${example}`;
  return z.number({ error: what }).int({ error: what }).min(min, { error: minHint }).max(max, { error: `must be at most ${max}` });
}

/**
 * A field that holds a function (or another code-only value, such as a store).
 * It accepts what `accept` approves and shows as "any value" in the JSON Schema, so
 * the schema stays printable for editors while code can still pass functions.
 *
 * @example
 * ```ts
 * import { codeField } from 'ia-connectors';
 * const hook = codeField<(n: number) => boolean>((v) => typeof v === 'function', 'must be a function (n) => boolean');
 * ```
 */
export function codeField<T>(accept: (value: unknown) => boolean, message: string): z.ZodType<T, T> {
  return z.unknown().refine(accept, { error: message }) as unknown as z.ZodType<T, T>;
}

/**
 * True for a function; the predicate {@link codeField} uses for hooks.
 *
 * @example
 * ```ts
 * import { isFunction } from 'ia-connectors';
 * isFunction(() => 1); // true
 * ```
 */
export function isFunction(value: unknown): boolean {
  return typeof value === 'function';
}

/**
 * True for an object that has every method named in `methods`, the predicate for a
 * store field.
 *
 * @example
 * ```ts
 * import { hasMethods } from 'ia-connectors';
 * hasMethods(['get'])(new Map()); // true
 * ```
 */
export function hasMethods(methods: readonly string[]): (value: unknown) => boolean {
  return (value) =>
    typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/**
 * `false` (turned off) or an object of settings. When the object is wrong, the
 * message names the nested field (`ratio: must be ...`), which a plain union
 * would hide behind "invalid input".
 *
 * @example
 * ```ts
 * import { falseOr } from 'ia-connectors';
 * import { z } from 'zod';
 * const cache = falseOr(z.object({ ttl: z.number() }).strict(), '{ ttl: 60 }');
 * ```
 */
export function falseOr<S extends z.ZodType>(schema: S, example: string) {
  return z.union([z.literal(false), schema], {
    error: (issue) => {
      const nested = issue.code === 'invalid_union' && typeof issue.input === 'object' && issue.input !== null ? issue.errors[1] : undefined;
      if (!nested || nested.length === 0) return `must be false or an object such as ${example}`;
      return nested.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    },
  });
}
