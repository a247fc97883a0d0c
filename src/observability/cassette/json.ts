/**
 * A copy of a JSON value with object keys in sorted order (arrays keep theirs) and
 * `undefined` members dropped, so equal values print alike and diffs stay readable.
 *
 * @example
 * ```ts
 * import { sortedJson } from './json.js';
 * JSON.stringify(sortedJson({ b: 1, a: { d: 2, c: 3 } })); // '{"a":{"c":3,"d":2},"b":1}'
 * ```
 */
export function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = sortedJson(item);
  }
  return out;
}

/**
 * The JSON form of a value (what `JSON.stringify` would keep), or `undefined` when it
 * has none (a BigInt, a cycle, a function).
 *
 * @example
 * ```ts
 * import { plainJson } from './json.js';
 * plainJson({ at: new Date(0), skip: undefined }); // { at: '1970-01-01T00:00:00.000Z' }
 * ```
 */
export function plainJson(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds rounded to a tenth, which is all a recording needs and keeps files short.
 *
 * @example
 * ```ts
 * import { roundMs } from './json.js';
 * roundMs(12.3456); // 12.3
 * ```
 */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * Query or form fields as a plain object sorted by name; a repeated name keeps its
 * values, in order, as an array.
 *
 * @example
 * ```ts
 * import { paramsObject } from './json.js';
 * paramsObject(new URLSearchParams('b=2&a=1&b=3')); // { a: '1', b: ['2', '3'] }
 * ```
 */
export function paramsObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of [...new Set(params.keys())].sort()) {
    const values = params.getAll(name);
    out[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}

const BYTES_KEY = '$base64';

/**
 * A copy of a value with its bytes (`Buffer`, `Uint8Array`) written as
 * `{ "$base64": "..." }`, so they survive JSON; {@link bytesFromJson} turns them back.
 *
 * @example
 * ```ts
 * import { bytesAsJson } from './json.js';
 * bytesAsJson({ blob: Buffer.from('hi') }); // { blob: { $base64: 'aGk=' } }
 * ```
 */
export function bytesAsJson(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return { [BYTES_KEY]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => bytesAsJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = bytesAsJson(item, depth + 1);
  return out;
}

/**
 * The inverse of {@link bytesAsJson}: a fresh copy with every `{ "$base64": "..." }`
 * back as a `Buffer`.
 *
 * @example
 * ```ts
 * import { bytesFromJson } from './json.js';
 * bytesFromJson({ blob: { $base64: 'aGk=' } }); // { blob: <Buffer 68 69> }
 * ```
 */
export function bytesFromJson(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => bytesFromJson(item, depth + 1));
  const entries = Object.entries(value);
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only && only[0] === BYTES_KEY && typeof only[1] === 'string') return Buffer.from(only[1], 'base64');
  return Object.fromEntries(entries.map(([key, item]) => [key, bytesFromJson(item, depth + 1)]));
}
