import type { PathSegment } from './path.js';

/**
 * What a reference points at: a run parameter, the run input, a step's result, or a
 * local variable (`item`, `index` inside `foreach`; `result` in a condition).
 *
 * @example
 * ```ts
 * import type { ReferenceTarget } from 'ia-connectors';
 * const t: ReferenceTarget = { kind: 'step', stepId: 'load', rest: ['users', 0] };
 * ```
 */
export type ReferenceTarget =
  | { kind: 'parameters'; rest: PathSegment[] }
  | { kind: 'pipeline_input'; rest: PathSegment[] }
  | { kind: 'step'; stepId: string; rest: PathSegment[] }
  | { kind: 'variable'; name: string; rest: PathSegment[] }
  | { kind: 'invalid'; problem: string };

/**
 * The names a template may start with besides step ids; a step may not take one of
 * them as its id, or `{{ <id>.x }}` would be ambiguous.
 *
 * @example
 * ```ts
 * import { RESERVED_ROOTS } from 'ia-connectors';
 * RESERVED_ROOTS.includes('steps'); // true
 * ```
 */
export const RESERVED_ROOTS = ['parameters', 'pipeline_input', 'steps', 'item', 'index', 'result'] as const;

/**
 * Decides what a parsed reference points at. `variables` are the local names in
 * scope (e.g. `item`, `index`); they shadow nothing because step ids may not use them.
 *
 * @example
 * ```ts
 * import { classifyReference } from 'ia-connectors';
 * classifyReference(['steps', 'load', 'result', 'users'], new Set(['load']), []);
 * // { kind: 'step', stepId: 'load', rest: ['users'] }
 * ```
 */
export function classifyReference(path: readonly PathSegment[], stepIds: ReadonlySet<string>, variables: readonly string[]): ReferenceTarget {
  const [root, ...rest] = path;
  if (typeof root !== 'string') return { kind: 'invalid', problem: 'a reference must start with a name' };
  if (variables.includes(root)) return { kind: 'variable', name: root, rest };
  if (root === 'parameters' || root === 'pipeline_input') return { kind: root, rest };
  if (root === 'steps') return stepsForm(rest, stepIds);
  if (stepIds.has(root)) return { kind: 'step', stepId: root, rest };
  if (root === 'item' || root === 'index') {
    return { kind: 'invalid', problem: `"${root}" exists only inside a foreach step's "step" settings` };
  }
  if (root === 'result') return { kind: 'invalid', problem: '"result" exists only in a condition source; elsewhere write steps.<id>.result' };
  return {
    kind: 'invalid',
    problem: `"${root}" is neither a step id nor parameters, pipeline_input or steps; step ids are: ${[...stepIds].join(', ')}`,
  };
}

function stepsForm(rest: PathSegment[], stepIds: ReadonlySet<string>): ReferenceTarget {
  const [stepId, result, ...field] = rest;
  if (typeof stepId !== 'string') return { kind: 'invalid', problem: 'write steps.<id>.result.<field>, e.g. steps.load.result.users' };
  if (!stepIds.has(stepId)) {
    return { kind: 'invalid', problem: `there is no step "${stepId}"; step ids are: ${[...stepIds].join(', ')}` };
  }
  if (result !== 'result') return { kind: 'invalid', problem: `write steps.${stepId}.result.<field>; only a step's result can be referenced` };
  return { kind: 'step', stepId, rest: field };
}
