/**
 * One step of a reference path: a field name or an array index.
 *
 * @example
 * ```ts
 * import type { PathSegment } from 'ia-connectors';
 * const path: PathSegment[] = ['steps', 'load', 'result', 'users', 0, 'id'];
 * ```
 */
export type PathSegment = string | number;

const ROOT = /^[A-Za-z_][A-Za-z0-9_-]*/;
const KEY = /^[^.[\]\s{}]+/;
const INDEX = /^\[(\d+)\]/;

/**
 * Parses `steps.load.result.users[0].id` into its segments, or returns `undefined`
 * when the text is not a reference (spaces, filters, empty keys, `[x]`).
 *
 * @example
 * ```ts
 * import { parsePath } from 'ia-connectors';
 * parsePath('load.users[0].id'); // ['load', 'users', 0, 'id']
 * ```
 */
export function parsePath(text: string): PathSegment[] | undefined {
  const root = ROOT.exec(text);
  if (!root) return undefined;
  const segments: PathSegment[] = [root[0]];
  let rest = text.slice(root[0].length);
  while (rest !== '') {
    const index = INDEX.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    if (!rest.startsWith('.')) return undefined;
    const key = KEY.exec(rest.slice(1));
    if (!key) return undefined;
    segments.push(key[0]);
    rest = rest.slice(1 + key[0].length);
  }
  return segments;
}

/**
 * Formats segments back to `users[0].id`.
 *
 * @example
 * ```ts
 * import { formatSegments } from 'ia-connectors';
 * formatSegments(['users', 0, 'id']); // 'users[0].id'
 * ```
 */
export function formatSegments(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * The outcome of following a path: the value, or why it could not be reached.
 *
 * @example
 * ```ts
 * import type { PathLookup } from 'ia-connectors';
 * const miss: PathLookup = { found: false, problem: 'has no field "id"' };
 * ```
 */
export type PathLookup = { found: true; value: unknown } | { found: false; problem: string };

/**
 * Follows `segments` into `value`. A missing field is reported, never turned into
 * `undefined`, so a typo in a template fails loudly. A numeric key also indexes an
 * array (`items.0`), as in ia_modules.
 *
 * @example
 * ```ts
 * import { getPath } from 'ia-connectors';
 * getPath({ users: [{ id: 7 }] }, ['users', 0, 'id']); // { found: true, value: 7 }
 * ```
 */
export function getPath(value: unknown, segments: readonly PathSegment[], rootName = 'the value'): PathLookup {
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    const here = i === 0 ? rootName : `"${formatSegments(segments.slice(0, i))}" in ${rootName}`;
    const next = step(current, segment);
    if (!next.found) return { found: false, problem: `${here} ${next.problem}` };
    current = next.value;
  }
  return { found: true, value: current };
}

function step(current: unknown, segment: PathSegment): PathLookup {
  if (Array.isArray(current)) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : undefined;
    if (index === undefined) return { found: false, problem: `is a list, so it has no field "${segment}"; use an index such as [0]` };
    if (index >= current.length) return { found: false, problem: `has ${current.length} item(s), so index [${index}] is out of range` };
    return { found: true, value: current[index] };
  }
  if (typeof current === 'object' && current !== null) {
    const key = String(segment);
    if (!Object.hasOwn(current, key)) return { found: false, problem: `has no field "${key}"${available(current)}` };
    return { found: true, value: (current as Record<string, unknown>)[key] };
  }
  return { found: false, problem: `is ${describe(current)}, so it has no field "${String(segment)}"` };
}

function available(object: object): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return ' (it is empty)';
  const shown = keys.slice(0, 8).join(', ');
  return `; its fields are: ${shown}${keys.length > 8 ? ', …' : ''}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
}
