import { createStepRegistry } from './builtins.js';
import { toStepError, type RunState } from './execute-step.js';
import { executeFlow } from './flow.js';
import { renderTemplates, type TemplateScope } from './render.js';
import { checkRunValues } from './run-checks.js';
import type { PipelineEvent, RunOptions, RunResult } from './run-types.js';
import type { PipelineDefinition, Pipeline } from './schema.js';
import { validatePipeline } from './validate.js';

/**
 * Runs an ia_modules JSON pipeline. The definition is parsed and validated first (step
 * types, graph, templates, the run's parameters and input), so a broken pipeline throws
 * before any call is made. Once running, failures are reported in the result instead:
 * `status: 'failed'`, the failing step's record, and `error.stepId`.
 *
 * A template reading a skipped step's result gets `null` (the step did not run, so it
 * has no value); `outputs` are rendered only when the run succeeded.
 *
 * @throws `PIPELINE` or `TEMPLATE` {@link ConnectorError} when the pipeline is invalid.
 * @example
 * ```ts
 * import { runPipeline } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * declare const json: string;
 * const result = await runPipeline(json, { connectors: registry, parameters: { username: 'ada' } });
 * if (result.status === 'succeeded') console.log(result.outputs);
 * ```
 */
export async function runPipeline(pipeline: string | PipelineDefinition | Pipeline, options: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const types = options.steps ?? createStepRegistry();
  const parsed = validatePipeline(pipeline, { steps: types });
  const parameters = { ...parsed.parameters, ...options.parameters };
  const input = options.input ?? {};
  checkRunValues(parsed, types, parameters, input);

  const emit = safeEmitter(options.onEvent);
  const scope: TemplateScope = {
    parameters,
    pipelineInput: input,
    stepIds: new Set(parsed.steps.map((s) => s.id)),
    results: new Map(),
    skipped: new Set(),
  };
  const run: RunState = {
    scope,
    types,
    connectors: options.connectors,
    signal: options.signal ?? new AbortController().signal,
    emit: (stepId, progress) => emit({ ...progress, stepId }),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  };
  emit({ type: 'run_started', pipeline: parsed.name, steps: parsed.steps.map((s) => s.id) });
  const { records, failure } = await executeFlow(parsed, run, emit);

  let error = failure;
  let outputs: Record<string, unknown> = {};
  if (!error) {
    try {
      outputs = renderTemplates(parsed.outputs, scope, 'pipeline', ['outputs']) as Record<string, unknown>;
    } catch (cause) {
      error = toStepError(cause);
    }
  }
  const status = error ? 'failed' : 'succeeded';
  const durationMs = performance.now() - t0;
  emit({ type: 'run_finished', status, durationMs });
  return { status, outputs, steps: orderBy(parsed, records), durationMs, ...(error ? { error } : {}) };
}

function orderBy<T>(pipeline: Pipeline, records: Record<string, T>): Record<string, T> {
  // Steps appear in the pipeline's order, not the order they happened to finish in.
  const ordered: Record<string, T> = {};
  for (const { id } of pipeline.steps) {
    const record = records[id];
    if (record !== undefined) ordered[id] = record;
  }
  return ordered;
}

function safeEmitter(listener: RunOptions['onEvent']): (event: PipelineEvent) => void {
  if (!listener) return () => {};
  return (event) => {
    try {
      listener(event);
    } catch (error) {
      process.emitWarning(`ia-connectors: a pipeline onEvent listener threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
