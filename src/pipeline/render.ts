import { ConnectorError } from '../core/errors.js';
import { formatPath } from '../core/config.js';
import { getPath, type PathLookup, type PathSegment } from './path.js';
import { classifyReference } from './reference-target.js';
import { hasTemplate, parseTemplate } from './template.js';

/**
 * Everything a template can read during a run.
 *
 * @example
 * ```ts
 * import type { TemplateScope } from 'ia-connectors';
 * const scope: TemplateScope = {
 *   parameters: { name: 'ada' }, pipelineInput: {}, stepIds: new Set(['load']),
 *   results: new Map([['load', { users: [] }]]), skipped: new Set(),
 * };
 * ```
 */
export interface TemplateScope {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly pipelineInput: Readonly<Record<string, unknown>>;
  readonly stepIds: ReadonlySet<string>;
  /** Results of the steps that succeeded so far. */
  readonly results: ReadonlyMap<string, unknown>;
  /** Steps that did not run; a reference to one resolves to `null`. */
  readonly skipped: ReadonlySet<string>;
  /** Local names such as `item` and `index` (foreach) or `result` (conditions). */
  readonly variables?: Readonly<Record<string, unknown>>;
}

/**
 * Resolves a parsed reference. A skipped step's result is `null`, because the step did
 * not run and so has no value; anything else missing is reported as a problem.
 *
 * @example
 * ```ts
 * import { resolveReference } from 'ia-connectors';
 * declare const scope: import('ia-connectors').TemplateScope;
 * resolveReference(['parameters', 'name'], scope); // { found: true, value: 'ada' }
 * ```
 */
export function resolveReference(path: readonly PathSegment[], scope: TemplateScope): PathLookup {
  const target = classifyReference(path, scope.stepIds, Object.keys(scope.variables ?? {}));
  switch (target.kind) {
    case 'invalid':
      return { found: false, problem: target.problem };
    case 'parameters':
      return getPath(scope.parameters, target.rest, 'parameters');
    case 'pipeline_input':
      return getPath(scope.pipelineInput, target.rest, 'pipeline_input');
    case 'variable':
      return getPath(scope.variables?.[target.name], target.rest, target.name);
    case 'step': {
      if (scope.skipped.has(target.stepId)) return { found: true, value: null };
      if (!scope.results.has(target.stepId)) return { found: false, problem: `step "${target.stepId}" has not produced a result` };
      return getPath(scope.results.get(target.stepId), target.rest, `the result of step "${target.stepId}"`);
    }
  }
}

/**
 * Replaces every `{{ reference }}` in `value`, recursively through arrays and objects.
 * A string that is exactly one template keeps the referenced value's type; templates
 * inside longer text are stringified (objects as JSON).
 *
 * @param where - names the owner for error messages, e.g. `step "merge"`.
 * @param location - the path of `value` inside its owner, e.g. `['config', 'body']`.
 * @throws `TEMPLATE` {@link ConnectorError} naming the owner, location and template.
 * @example
 * ```ts
 * import { renderTemplates } from 'ia-connectors';
 * declare const scope: import('ia-connectors').TemplateScope;
 * renderTemplates({ id: '{{ load.users[0].id }}', note: 'user {{ parameters.name }}' }, scope, 'step "x"', ['inputs']);
 * ```
 */
export function renderTemplates(value: unknown, scope: TemplateScope, where: string, location: PathSegment[] = []): unknown {
  if (typeof value === 'string') return hasTemplate(value) ? renderString(value, scope, where, location) : value;
  if (Array.isArray(value)) return value.map((item, index) => renderTemplates(item, scope, where, [...location, index]));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = renderTemplates(item, scope, where, [...location, key]);
    return out;
  }
  return value;
}

function renderString(text: string, scope: TemplateScope, where: string, location: PathSegment[]): unknown {
  const at = location.length > 0 ? `${where} ${formatPath(location)}` : where;
  const parts = parseTemplate(text, at);
  const values = parts.map((part) => {
    if (part.kind === 'text') return part.text;
    const lookup = resolveReference(part.path, scope);
    if (!lookup.found) throw new ConnectorError('TEMPLATE', `${at}: ${part.source} cannot be resolved: ${lookup.problem}`);
    return lookup.value;
  });
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'ref') return values[0];
  return values.map((v, i) => (parts[i]?.kind === 'text' ? v : stringify(v))).join('');
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * True for `{}` and `Object.create(null)` objects, false for arrays, dates, class instances.
 *
 * @example
 * ```ts
 * import { isPlainObject } from 'ia-connectors';
 * isPlainObject({ a: 1 }); // true
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
