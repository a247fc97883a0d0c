import { isDeepStrictEqual } from 'node:util';
import { ConnectorError } from '../core/errors.js';
import type { Condition, ConditionOperator } from './conditions-schema.js';
import { parsePath } from './path.js';
import { resolveReference, type TemplateScope } from './render.js';

/**
 * Decides whether an edge fires. `result.<path>` sources read the result of `fromStep`,
 * the step the edge leaves (which has succeeded, so its result is in the scope).
 *
 * A source that cannot be resolved throws `TEMPLATE` (a typo must not quietly skip a
 * branch), except with `exists`, whose purpose is to test for a missing value.
 *
 * @param where - names the edge for messages, e.g. `flow.paths[2]`.
 * @example
 * ```ts
 * import { evaluateCondition } from 'ia-connectors';
 * declare const scope: import('ia-connectors').TemplateScope;
 * evaluateCondition({ type: 'expression', config: { source: 'result.count', operator: 'greater_than', value: 0 } }, scope, 'flow.paths[0]', 'load');
 * ```
 */
export function evaluateCondition(condition: Condition, scope: TemplateScope, where: string, fromStep: string): boolean {
  if (condition.type === 'always') return true;
  if (condition.type === 'parameter') {
    const { parameter, value } = condition.config;
    if (!Object.hasOwn(scope.parameters, parameter)) {
      throw new ConnectorError('TEMPLATE', `${where}: the condition reads parameter "${parameter}", which is not defined; add it to the pipeline's parameters`);
    }
    const actual = scope.parameters[parameter];
    return value === undefined ? isTruthy(actual) : isDeepStrictEqual(actual, value);
  }
  const { source, operator, value } = condition.config;
  const parsed = parsePath(source.trim());
  const path = parsed?.[0] === 'result' ? ['steps', fromStep, ...parsed] : parsed;
  const lookup = path ? resolveReference(path, scope) : { found: false as const, problem: 'it is not a reference' };
  if (!lookup.found) {
    if (operator === 'exists') return value === false;
    throw new ConnectorError(
      'TEMPLATE',
      `${where}: condition source "${source}" cannot be resolved: ${lookup.problem}; use operator "exists" to test for an optional field`,
    );
  }
  return compare(operator, lookup.value, value, where);
}

/**
 * Python-style truthiness, as ia_modules uses: `false`, `0`, `''`, `null`, empty lists
 * and empty objects are false.
 *
 * @example
 * ```ts
 * import { isTruthy } from 'ia-connectors';
 * isTruthy([]); // false
 * ```
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

function compare(operator: ConditionOperator, actual: unknown, expected: unknown, where: string): boolean {
  switch (operator) {
    case 'equals':
      return isDeepStrictEqual(actual, expected);
    case 'not_equals':
      return !isDeepStrictEqual(actual, expected);
    case 'equals_ignore_case':
      return typeof actual === 'string' && typeof expected === 'string'
        ? actual.localeCompare(expected, undefined, { sensitivity: 'accent' }) === 0
        : isDeepStrictEqual(actual, expected);
    case 'exists':
      // `"value": false` asks for absence, so one operator covers both tests.
      return (actual !== null && actual !== undefined) === (expected !== false);
    case 'contains':
      return contains(actual, expected, where);
    default:
      return ordered(operator, actual, expected, where);
  }
}

function contains(actual: unknown, expected: unknown, where: string): boolean {
  if (actual === null || actual === undefined) return false;
  if (typeof actual === 'string') return actual.includes(String(expected));
  if (Array.isArray(actual)) return actual.some((item) => isDeepStrictEqual(item, expected));
  if (typeof actual === 'object') return Object.hasOwn(actual, String(expected));
  throw new ConnectorError('PIPELINE', `${where}: "contains" needs a string, list or object, but the source is ${JSON.stringify(actual)}`);
}

function ordered(operator: ConditionOperator, actual: unknown, expected: unknown, where: string): boolean {
  // A skipped step reads as null; null is not greater or less than anything.
  if (actual === null || actual === undefined) return false;
  const [a, b] = comparable(actual, expected);
  if (a === undefined || b === undefined) {
    throw new ConnectorError('PIPELINE', `${where}: cannot compare ${JSON.stringify(actual)} with ${JSON.stringify(expected)} using "${operator}"; compare two numbers or two strings`);
  }
  if (operator === 'greater_than') return a > b;
  if (operator === 'greater_than_or_equal') return a >= b;
  if (operator === 'less_than') return a < b;
  return a <= b;
}

function comparable(a: unknown, b: unknown): [number, number] | [string, string] | [undefined, undefined] {
  if (typeof a === 'string' && typeof b === 'string') return [a, b];
  // Parameters given on a command line arrive as text; "5" > 3 should still work.
  const x = toNumber(a);
  const y = toNumber(b);
  return x !== undefined && y !== undefined ? [x, y] : [undefined, undefined];
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
