import { settingsProblems } from './settings-problems.js';
import { configErrorFrom } from '../../core/config.js';
import { ConnectorError } from '../../core/errors.js';
import { isGrpcConnector } from '../../protocols/grpc/connector.js';
import type { StepCallDeps } from '../step-types.js';
import type { StepHandler, StepSettings, StepTypeOptions } from '../step-types.js';
import { grpcStepConfigSchema } from './grpc-config.js';

/**
 * What {@link executeGrpcStep} needs besides the settings.
 *
 * @example
 * ```ts
 * import type { GrpcStepDeps } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const deps: GrpcStepDeps = { registry, stepId: 'product' };
 * ```
 */
export type GrpcStepDeps = StepCallDeps;

/**
 * The `grpc` step type: calls `config.method` through the named gRPC connector with
 * the step's `inputs` and `config.request` as the request message. A unary method's
 * result is its response message; a server-streaming method's is the list of its
 * messages (at most `max_messages`). Under `output_field` when given.
 *
 * @example
 * ```ts
 * import { StepRegistry, grpcStepHandler, grpcStepOptions } from 'ia-connectors';
 * new StepRegistry().register('grpc', grpcStepHandler, grpcStepOptions);
 * ```
 */
export const grpcStepHandler: StepHandler = (ctx) =>
  executeGrpcStep(ctx.inputs, ctx.config, { registry: ctx.connectors, signal: ctx.signal, stepId: ctx.stepId, emit: ctx.emit });

/**
 * Registration options of `grpc`: settings are checked before the run.
 *
 * @example
 * ```ts
 * import { grpcStepOptions } from 'ia-connectors';
 * typeof grpcStepOptions.validate; // 'function'
 * ```
 */
export const grpcStepOptions: StepTypeOptions = { validate: validateGrpcSettings };

/**
 * Checks `grpc` settings before anything runs; values that are still templates are
 * checked once resolved.
 *
 * @throws `PIPELINE` {@link ConnectorError} listing the bad settings.
 * @example
 * ```ts
 * import { validateGrpcSettings } from 'ia-connectors';
 * validateGrpcSettings({ id: 'product', inputs: {}, config: { connector: 'catalog', method: 'GetProduct' } });
 * ```
 */
export function validateGrpcSettings(step: StepSettings): void {
  const problems = settingsProblems(grpcStepConfigSchema, step.config);
  if (problems.length > 0) throw new ConnectorError('PIPELINE', `invalid grpc settings of step "${step.id}": ${problems.join('; ')}`);
}

/**
 * Runs one `grpc` step outside a pipeline, e.g. from your own step type.
 *
 * @example
 * ```ts
 * import { executeGrpcStep } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const { result } = await executeGrpcStep({ sku: 'lamp' }, { connector: 'catalog', method: 'GetProduct', output_field: 'product' }, { registry });
 * ```
 */
export async function executeGrpcStep(inputs: Record<string, unknown>, config: unknown, deps: GrpcStepDeps): Promise<{ result: unknown; attempts: number }> {
  const where = deps.stepId === undefined ? 'grpc step' : `step "${deps.stepId}"`;
  const parsed = grpcStepConfigSchema.safeParse(config);
  if (!parsed.success) {
    const error = configErrorFrom(parsed.error, `grpc settings of ${where}`);
    throw new ConnectorError('PIPELINE', error.message, { details: error.details });
  }
  const settings = parsed.data;
  const connector: unknown = await deps.registry.get(settings.connector);
  if (!isGrpcConnector(connector)) {
    const protocol = (connector as { config?: { protocol?: unknown } } | null)?.config?.protocol ?? 'non-gRPC';
    throw new ConnectorError('PIPELINE', `${where}: connector "${settings.connector}" is a ${String(protocol)} connector; the grpc step needs one with protocol: grpc`);
  }
  const method = await connector.describeMethod(settings.method);
  const request = {
    method: settings.method,
    request: { ...inputs, ...settings.request },
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  const wrap = (value: unknown): unknown => (settings.output_field === undefined ? value : { [settings.output_field]: value });
  if (method.kind === 'unary') {
    const response = await connector.execute(request);
    return { result: wrap(response.body), attempts: response.attempts };
  }
  if (method.kind !== 'serverStream') {
    throw new ConnectorError('UNSUPPORTED', `${where}: ${method.path} is a ${method.kind === 'bidi' ? 'bidirectional' : 'client'}-streaming method; the grpc step calls unary and server-streaming methods (call this one from code)`);
  }
  const stream = await connector.serverStream(request);
  const messages: unknown[] = [];
  for await (const message of stream) {
    if (messages.length === settings.max_messages) {
      stream.cancel();
      throw new ConnectorError('STEP', `${where}: ${method.path} sent more than max_messages (${settings.max_messages}); raise max_messages or ask the server for fewer`, {
        details: { connector: settings.connector, method: method.path, maxMessages: settings.max_messages },
      });
    }
    messages.push(message);
  }
  deps.emit?.({ type: 'message', message: `${messages.length} message${messages.length === 1 ? '' : 's'} from ${method.path}` });
  return { result: wrap(messages), attempts: stream.attempts };
}

