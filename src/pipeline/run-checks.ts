import { ConnectorError } from '../core/errors.js';
import { flowEdges } from './graph.js';
import { collectReferences } from './collect-references.js';
import type { Pipeline } from './schema.js';
import type { StepTypes } from './step-types.js';

/**
 * Checks, before the first step runs, that every `parameters.x` and `pipeline_input.x`
 * a template or condition reads exists in this run, so a missing value fails at once
 * instead of after half the calls were made.
 *
 * @throws `TEMPLATE` {@link ConnectorError} listing each missing name and who reads it.
 * @example
 * ```ts
 * import { checkRunValues, createStepRegistry } from 'ia-connectors';
 * declare const pipeline: import('ia-connectors').Pipeline;
 * checkRunValues(pipeline, createStepRegistry(), { username: 'ada' }, {});
 * ```
 */
export function checkRunValues(
  pipeline: Pipeline,
  types: StepTypes,
  parameters: Readonly<Record<string, unknown>>,
  input: Readonly<Record<string, unknown>>,
): void {
  const problems: string[] = [];
  const stepIds = new Set(pipeline.steps.map((s) => s.id));
  for (const ref of collectReferences(pipeline, types).references) {
    const [root, name] = ref.path;
    if (ref.variables.includes(String(root)) || stepIds.has(String(root)) || name === undefined) continue;
    if (root === 'parameters' && !Object.hasOwn(parameters, name)) {
      problems.push(`${ref.where}: ${ref.source} reads parameter "${name}", which is not set; parameters are: ${list(parameters)}`);
    }
    if (root === 'pipeline_input' && !Object.hasOwn(input, name)) {
      problems.push(`${ref.where}: ${ref.source} reads pipeline_input "${name}", which the run input lacks; its fields are: ${list(input)}`);
    }
  }
  for (const edge of flowEdges(pipeline)) {
    if (edge.condition.type !== 'parameter') continue;
    const { parameter } = edge.condition.config;
    if (!Object.hasOwn(parameters, parameter)) {
      problems.push(`${edge.label}.condition: reads parameter "${parameter}", which is not set; add it to the pipeline's parameters`);
    }
  }
  if (problems.length > 0) {
    const noun = problems.length === 1 ? 'value is' : 'values are';
    throw new ConnectorError('TEMPLATE', `pipeline "${pipeline.name}": ${problems.length} ${noun} missing\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function list(values: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(values);
  return keys.length === 0 ? '(none)' : keys.join(', ');
}
