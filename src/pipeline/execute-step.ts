import { ConnectorError, isConnectorError } from '../core/errors.js';
import type { ConnectorLookup } from './connectors.js';
import { isPlainObject, renderTemplates, type TemplateScope } from './render.js';
import type { RunCheckpoint, StepError } from './run-types.js';
import type { StepContext, StepDefinition, StepOutput, StepProgress, StepTypes } from './step-types.js';

/**
 * What every step of one run shares: the template scope (whose result map and skipped
 * set the runner fills as steps finish), the step types, connectors and signal.
 *
 * @example
 * ```ts
 * import type { RunState } from 'ia-connectors';
 * declare const run: RunState;
 * run.scope.results.size;
 * ```
 */
export interface RunState {
  readonly scope: TemplateScope;
  readonly types: StepTypes;
  readonly connectors: ConnectorLookup;
  readonly signal: AbortSignal;
  readonly emit: (stepId: string, progress: StepProgress) => void;
  /** Finished steps restored from, and saved to, a checkpoint. */
  readonly checkpoint?: RunCheckpoint;
}

/**
 * Resolves a step's templates, then calls its handler.
 *
 * @example
 * ```ts
 * import { executeStep } from 'ia-connectors';
 * declare const run: import('ia-connectors').RunState;
 * const out = await executeStep({ id: 'a', type: 'noop', inputs: {}, config: {} }, run);
 * ```
 */
export async function executeStep(
  step: { id: string; type: string; inputs: unknown; config: unknown },
  run: RunState,
  variables: Record<string, unknown> = {},
): Promise<StepOutput> {
  const definition = run.types.get(step.type);
  if (!definition) throw new ConnectorError('PIPELINE', `step "${step.id}": unknown step type "${step.type}"; known types: ${run.types.types().join(', ')}`);
  const scope: TemplateScope = { ...run.scope, variables: { ...run.scope.variables, ...variables } };
  const where = `step "${step.id}"`;
  const inputs = renderTemplates(step.inputs ?? {}, scope, where, ['inputs']);
  const config = renderConfig(step.config ?? {}, definition, scope, where);
  if (!isPlainObject(inputs) || !isPlainObject(config)) {
    throw new ConnectorError('PIPELINE', `${where}: inputs and config must be objects`);
  }
  const context: StepContext = {
    stepId: step.id,
    inputs,
    config,
    parameters: scope.parameters,
    pipelineInput: scope.pipelineInput,
    results: Object.fromEntries(scope.results),
    signal: run.signal,
    connectors: run.connectors,
    emit: (progress) => run.emit(step.id, progress),
    render: (value, locals = {}, location = 'value') => renderTemplates(value, { ...scope, variables: { ...scope.variables, ...locals } }, `${where} ${location}`),
    runNested: (type, nested) =>
      executeStep(
        { id: nested.stepId, type, inputs: nested.inputs, config: nested.config },
        // Progress of a nested step belongs to the step the user wrote.
        { ...run, emit: (_id, progress) => run.emit(step.id, progress) },
        { ...scope.variables, ...nested.variables },
      ),
  };
  const output = await definition.handler(context);
  if (typeof output !== 'object' || output === null || !('result' in output)) {
    throw new ConnectorError('STEP', `${where}: the "${step.type}" handler must return { result }, but returned ${String(output)}`);
  }
  return output;
}

function renderConfig(config: unknown, definition: StepDefinition, scope: TemplateScope, where: string): unknown {
  if (!isPlainObject(config)) return config;
  const raw = new Set(definition.rawConfigKeys);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = raw.has(key) ? value : renderTemplates(value, scope, where, ['config', key]);
  }
  return out;
}

/**
 * Turns anything a step threw into the {@link StepError} a result reports.
 *
 * @example
 * ```ts
 * import { toStepError } from 'ia-connectors';
 * toStepError(new Error('boom')); // { code: 'STEP', message: 'boom' }
 * ```
 */
export function toStepError(error: unknown): StepError {
  if (isConnectorError(error)) {
    return { code: error.code, message: error.message, ...(error.status === undefined ? {} : { status: error.status }) };
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'ABORTED', message: error.message };
  return { code: 'STEP', message: error instanceof Error ? error.message : String(error) };
}
