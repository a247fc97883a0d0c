import { REDACTED } from '../redact.js';

const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 1000;

/**
 * Where a live request differs from a recorded one, as dotted paths (`query.limit`,
 * `body.json.items[0]`); empty when they match. A recorded value that was redacted
 * stands for any value: `[REDACTED]` matches whatever is there (or nothing, for an
 * object member, since a replay without secrets sends no credential), and a string with
 * `[REDACTED]` inside matches any string that agrees around it.
 *
 * @example
 * ```ts
 * import { requestDifferences } from './match.js';
 * requestDifferences({ query: { limit: '3', api_key: '[REDACTED]' } }, { query: { limit: '5' } }); // ['query.limit']
 * ```
 */
export function requestDifferences(recorded: unknown, live: unknown, path = ''): string[] {
  if (recorded === REDACTED) return [];
  if (typeof recorded === 'string') return typeof live === 'string' && sameText(recorded, live) ? [] : [path];
  if (Array.isArray(recorded)) {
    if (!Array.isArray(live) || live.length !== recorded.length) return [path];
    return recorded.flatMap((item, i) => requestDifferences(item, live[i], `${path}[${i}]`));
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (!isRecord(live)) return [path];
    const r = recorded as Record<string, unknown>;
    const l = live as Record<string, unknown>;
    const out: string[] = [];
    for (const key of new Set([...Object.keys(r), ...Object.keys(l)])) {
      const at = path === '' ? key : `${path}.${key}`;
      if (r[key] === undefined) {
        if (l[key] !== undefined) out.push(at);
      } else if (l[key] === undefined) {
        // Absent stands for empty: a stored query holding only a redacted credential matches a request without one.
        const item = r[key];
        const optional = item === REDACTED || (isRecord(item) && requestDifferences(item, {}, at).length === 0);
        if (!optional) out.push(at);
      } else {
        out.push(...requestDifferences(r[key], l[key], at));
      }
    }
    return out;
  }
  return Object.is(recorded, live) ? [] : [path];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameText(recorded: string, live: string): boolean {
  if (recorded === live) return true;
  if (!recorded.includes(REDACTED)) return false;
  let pattern = patterns.get(recorded);
  if (!pattern) {
    const parts = recorded.split(REDACTED).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`^${parts.join('[\\s\\S]+?')}$`);
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(recorded, pattern);
  }
  return pattern.test(live);
}
