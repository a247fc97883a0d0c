import { ConnectorError } from '../core/errors.js';
import { parseJsonText } from './json-syntax.js';

/**
 * Collects a repeatable `name=value` option (commander's accumulator).
 *
 * @example
 * ```ts
 * import { collect } from './values.js';
 * collect('a=1', ['b=2']); // ['b=2', 'a=1']
 * ```
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Splits `name=value` pairs from an option such as `--param`, refusing an empty name
 * or a missing `=` with a `CONFIG` error that shows the expected form.
 *
 * @example
 * ```ts
 * import { splitPairs } from './values.js';
 * splitPairs(['username=ada', 'q=a=b'], '--param'); // [['username', 'ada'], ['q', 'a=b']]
 * ```
 */
export function splitPairs(pairs: readonly string[], option: string, example: string): [string, string][] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      const shown = pair.length > 40 ? `${pair.slice(0, 40)}…` : pair;
      throw new ConnectorError('CONFIG', `${option} "${shown}": write it as name=value, e.g. ${option} ${example}`);
    }
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

/**
 * Pipeline parameters from `--param name=value`: a value that reads as JSON (`3`,
 * `true`, `["a"]`) keeps its type, anything else is a string; later pairs win.
 *
 * @example
 * ```ts
 * import { parseParams } from './values.js';
 * parseParams(['username=ada', 'min_posts=2']); // { username: 'ada', min_posts: 2 }
 * ```
 */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, raw] of splitPairs(pairs, '--param', 'username=ada')) params[name] = typedValue(raw);
  return params;
}

/**
 * Query parameters from `--query name=value`; a repeated name becomes a list.
 *
 * @example
 * ```ts
 * import { parseQuery } from './values.js';
 * parseQuery(['tag=a', 'tag=b', 'limit=3']); // { tag: ['a', 'b'], limit: '3' }
 * ```
 */
export function parseQuery(pairs: readonly string[]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of splitPairs(pairs, '--query', 'limit=10')) {
    const before = query[name];
    query[name] = before === undefined ? value : [...[before].flat(), value];
  }
  return query;
}

/**
 * Request headers from `--header name=value`.
 *
 * @example
 * ```ts
 * import { parseHeaders } from './values.js';
 * parseHeaders(['x-trace=1']); // { 'x-trace': '1' }
 * ```
 */
export function parseHeaders(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(splitPairs(pairs, '--header', 'x-request-id=42'));
}

/**
 * A JSON object given on the command line (`--input`), or read from a file; anything
 * else is a `CONFIG` error naming the option, with the line and column of a syntax error.
 *
 * @example
 * ```ts
 * import { parseJsonObject } from './values.js';
 * parseJsonObject('{"id": 7}', '--input'); // { id: 7 }
 * ```
 */
export function parseJsonObject(text: string, source: string): Record<string, unknown> {
  const value = parseJsonText(text, source, 'CONFIG');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new ConnectorError('CONFIG', `${source}: must be a JSON object such as {"id": 7}, got ${kind}`);
  }
  return value as Record<string, unknown>;
}

function typedValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed === '' || !/^[-\d[{"]|^(true|false|null)$/.test(trimmed)) return raw;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return raw;
  }
}
