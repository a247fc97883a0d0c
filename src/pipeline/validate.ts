import { ConnectorError, isConnectorError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';
import { createStepRegistry } from './builtins.js';
import { findCycle, flowEdges, indexEdges } from './graph.js';
import { parsePipeline } from './parse.js';
import { RESERVED_ROOTS, classifyReference } from './reference-target.js';
import { collectReferences } from './collect-references.js';
import type { Pipeline } from './schema.js';
import type { StepTypes } from './step-types.js';

interface Problem {
  code: ErrorCode;
  message: string;
}

/**
 * Parses and checks a pipeline before anything runs: known step types, unique ids, a
 * known `start_at`, edges between known steps, no cycle, well-formed templates that
 * read only steps upstream of their reader, and each step type's own checks.
 *
 * @throws `PIPELINE` {@link ConnectorError} for a bad shape or graph, `TEMPLATE` for bad
 *   templates; the message lists every problem with the field and the fix.
 * @example
 * ```ts
 * import { createStepRegistry, validatePipeline } from 'ia-connectors';
 * declare const json: unknown;
 * const pipeline = validatePipeline(json, { steps: createStepRegistry() });
 * ```
 */
export function validatePipeline(pipeline: unknown, options: { steps?: StepTypes } = {}): Pipeline {
  const parsed = parsePipeline(pipeline);
  const types = options.steps ?? createStepRegistry();
  throwIfAny(parsed, graphProblems(parsed, types));
  throwIfAny(parsed, [...referenceProblems(parsed, types), ...stepTypeProblems(parsed, types)]);
  return parsed;
}

function graphProblems(pipeline: Pipeline, types: StepTypes): Problem[] {
  const messages: string[] = [];
  const firstIndex = new Map<string, number>();
  pipeline.steps.forEach((step, i) => {
    const at = `steps[${i}] ("${step.id}")`;
    const earlier = firstIndex.get(step.id);
    if (earlier !== undefined) messages.push(`${at}.id: "${step.id}" is already the id of steps[${earlier}]; step ids must be unique`);
    else firstIndex.set(step.id, i);
    if ((RESERVED_ROOTS as readonly string[]).includes(step.id)) {
      messages.push(`${at}.id: "${step.id}" is reserved for templates (${RESERVED_ROOTS.join(', ')}); choose another id`);
    }
    if (!types.get(step.type)) {
      messages.push(
        `${at}.type: unknown step type "${step.type}"; known types: ${types.types().join(', ')}. Register a custom type with steps.register("${step.type}", handler)`,
      );
    }
  });
  const ids = [...firstIndex.keys()];
  const known = `step ids are: ${ids.join(', ')}`;
  const { start_at: start } = pipeline.flow;
  if (!firstIndex.has(start)) messages.push(`flow.start_at: "${start}" is not a step id; ${known}`);
  const edges = flowEdges(pipeline);
  for (const edge of edges) {
    if (!firstIndex.has(edge.from)) messages.push(`${edge.label}.from: "${edge.from}" is not a step id; ${known}`);
    if (!firstIndex.has(edge.to)) messages.push(`${edge.label}.to: "${edge.to}" is not a step id; ${known}`);
    if (edge.to === start) messages.push(`${edge.label}.to: "${start}" is flow.start_at, which runs first; an edge may not enter it`);
  }
  if (messages.length === 0) {
    const { outgoing } = indexEdges(ids, edges);
    const next = new Map([...outgoing].map(([id, out]) => [id, out.map((e) => e.to)]));
    const cycle = findCycle(ids, next);
    if (cycle) messages.push(`flow: the steps ${cycle.join(' → ')} form a cycle; remove one of these edges (a pipeline runs each step once)`);
  }
  return messages.map((message) => ({ code: 'PIPELINE', message }));
}

function referenceProblems(pipeline: Pipeline, types: StepTypes): Problem[] {
  const { references, problems } = collectReferences(pipeline, types);
  const stepIds = new Set(pipeline.steps.map((s) => s.id));
  const messages = [...problems];
  for (const ref of references) {
    const target = classifyReference(ref.path, stepIds, ref.variables);
    if (target.kind === 'invalid') messages.push(`${ref.where}: ${ref.source} cannot be resolved: ${target.problem}`);
    else if (target.kind === 'step' && ref.upstream && !ref.upstream.has(target.stepId)) {
      messages.push(
        `${ref.where}: ${ref.source} reads step "${target.stepId}", which does not run before step "${ref.reader}"; add a flow path from "${target.stepId}" to "${ref.reader}" or read another step`,
      );
    }
  }
  return messages.map((message) => ({ code: 'TEMPLATE', message }));
}

function stepTypeProblems(pipeline: Pipeline, types: StepTypes): Problem[] {
  const problems: Problem[] = [];
  for (const step of pipeline.steps) {
    try {
      types.get(step.type)?.validate?.({ id: step.id, inputs: step.inputs, config: step.config }, types);
    } catch (error) {
      const code = isConnectorError(error) ? error.code : 'PIPELINE';
      problems.push({ code, message: `step "${step.id}": ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return problems;
}

function throwIfAny(pipeline: Pipeline, problems: readonly Problem[]): void {
  const [first] = problems;
  if (!first) return;
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const lines = problems.map((p) => `  - ${p.message}`).join('\n');
  throw new ConnectorError(first.code, `invalid pipeline "${pipeline.name}": ${problems.length} ${noun}\n${lines}`, {
    details: { problems: problems.map((p) => p.message) },
  });
}
