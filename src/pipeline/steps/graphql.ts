import { settingsProblems } from './settings-problems.js';
import { configErrorFrom } from '../../core/config.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import { isGraphQLConnector } from '../../protocols/graphql/connector.js';
import { prepareDocument } from '../../protocols/graphql/document.js';
import { getPath, parsePath } from '../path.js';
import type { StepCallDeps } from '../step-types.js';
import type { StepHandler, StepSettings, StepTypeOptions } from '../step-types.js';
import { hasTemplate } from '../template.js';
import { graphqlStepConfigSchema } from './graphql-config.js';

/**
 * What {@link executeGraphQLStep} needs besides the settings.
 *
 * @example
 * ```ts
 * import type { GraphQLStepDeps } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const deps: GraphQLStepDeps = { registry, stepId: 'books' };
 * ```
 */
export type GraphQLStepDeps = StepCallDeps;

/**
 * The `graphql` step type: runs `config.query` through the named GraphQL connector with
 * the step's `inputs` and `config.variables` as variables, and returns the `data` (or
 * the value at `data_path`), under `output_field` when given. A result with errors
 * fails the step unless `allow_partial` is set.
 *
 * @example
 * ```ts
 * import { StepRegistry, graphqlStepHandler, graphqlStepOptions } from 'ia-connectors';
 * new StepRegistry().register('graphql', graphqlStepHandler, graphqlStepOptions);
 * ```
 */
export const graphqlStepHandler: StepHandler = (ctx) =>
  executeGraphQLStep(ctx.inputs, ctx.config, { registry: ctx.connectors, signal: ctx.signal, stepId: ctx.stepId, emit: ctx.emit });

/**
 * Registration options of `graphql`: `query` is never templated, and settings (the
 * document's syntax included) are checked before the run.
 *
 * @example
 * ```ts
 * import { graphqlStepOptions } from 'ia-connectors';
 * graphqlStepOptions.rawConfigKeys; // ['query']
 * ```
 */
export const graphqlStepOptions: StepTypeOptions = { rawConfigKeys: ['query'], validate: validateGraphQLSettings };

/**
 * Checks `graphql` settings before anything runs: known keys, a document without
 * `{{ templates }}` that parses. Templated values are checked once resolved.
 *
 * @example
 * ```ts
 * import { validateGraphQLSettings } from 'ia-connectors';
 * validateGraphQLSettings({ id: 'books', inputs: {}, config: { connector: 'shop', query: '{ books { title } }' } });
 * ```
 */
export function validateGraphQLSettings(step: StepSettings): void {
  const { query } = step.config;
  if (typeof query === 'string') checkDocument(query, step.config['operation_name']);
  const problems = settingsProblems(graphqlStepConfigSchema, step.config);
  if (problems.length > 0) throw new ConnectorError('PIPELINE', `invalid graphql settings: ${problems.join('; ')}`);
}

/**
 * Runs one `graphql` step outside a pipeline, e.g. from your own step type.
 *
 * @example
 * ```ts
 * import { executeGraphQLStep } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const { result } = await executeGraphQLStep({ id: '1' }, { connector: 'shop', query: 'query B($id: ID!) { book(id: $id) { title } }', data_path: 'book' }, { registry });
 * ```
 */
export async function executeGraphQLStep(inputs: Record<string, unknown>, config: unknown, deps: GraphQLStepDeps): Promise<{ result: unknown; attempts: number }> {
  const where = deps.stepId === undefined ? 'graphql step' : `step "${deps.stepId}"`;
  const parsed = graphqlStepConfigSchema.safeParse(config);
  if (!parsed.success) {
    const error = configErrorFrom(parsed.error, `graphql settings of ${where}`);
    throw new ConnectorError('PIPELINE', error.message, { details: error.details });
  }
  const settings = parsed.data;
  try {
    checkDocument(settings.query, settings.operation_name);
  } catch (error) {
    throw isConnectorError(error) ? new ConnectorError(error.code, `${where}: ${error.message}`, { details: error.details, cause: error }) : error;
  }
  const connector: unknown = await deps.registry.get(settings.connector);
  if (!isGraphQLConnector(connector)) {
    const protocol = (connector as { protocol?: unknown; config?: { protocol?: unknown } } | null)?.config?.protocol ?? 'non-GraphQL';
    throw new ConnectorError('PIPELINE', `${where}: connector "${settings.connector}" is a ${String(protocol)} connector; the graphql step needs one with protocol: graphql`);
  }
  const variables = { ...inputs, ...settings.variables };
  const response = await connector.execute({
    query: settings.query,
    ...(Object.keys(variables).length > 0 ? { variables } : {}),
    ...(settings.operation_name === undefined ? {} : { operationName: settings.operation_name }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (!response.ok) {
    if (!settings.allow_partial || response.data == null || response.status >= 300) {
      try {
        response.throwIfErrors();
      } catch (error) {
        throw new ConnectorError('STEP', `${where}: ${isConnectorError(error) ? error.message : String(error)}; set allow_partial: true to keep partial data`, {
          cause: error,
          details: { ...(isConnectorError(error) ? error.details : {}), status: response.status, connector: settings.connector },
        });
      }
      throw new ConnectorError('STEP', `${where}: ${response.url} answered ${response.status} without data`, { details: { status: response.status, connector: settings.connector } });
    }
    for (const error of response.errors ?? []) deps.emit?.({ type: 'message', message: `partial result: ${error.message}${error.path ? ` at ${error.path.join('.')}` : ''}` });
  }
  const value = settings.data_path === undefined ? response.data : pick(response.data, settings.data_path, where);
  return { result: settings.output_field === undefined ? value : { [settings.output_field]: value }, attempts: response.attempts };
}

function checkDocument(query: string, operationName: unknown): void {
  if (hasTemplate(query)) {
    throw new ConnectorError('PIPELINE', 'config.query contains a {{ template }}; declare a variable ($name) in the document and set config.variables.name to the template, so the value cannot change the document');
  }
  try {
    prepareDocument(query, typeof operationName === 'string' ? operationName : undefined);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    throw new ConnectorError(error.code, `config.query: ${error.message}`, { details: error.details, cause: error });
  }
}

function pick(data: unknown, path: string, where: string): unknown {
  const segments = parsePath(path);
  if (!segments) throw new ConnectorError('PIPELINE', `${where}: data_path "${path}" is not a path; write one such as "book.reviews[0].text"`);
  const found = getPath(data, segments, 'data');
  if (!found.found) throw new ConnectorError('STEP', `${where}: data_path "${path}" does not match the result: ${found.problem}`);
  return found.value;
}

