import { settingsProblems } from './settings-problems.js';
import { ConnectorError } from '../../core/errors.js';
import type { StepHandler, StepSettings, StepTypeOptions } from '../step-types.js';
import { hasTemplate } from '../template.js';
import { apiCallConfigSchema } from './api-call-config.js';
import { endpointTemplateError, executeApiCall } from './api-call.js';

/**
 * The `api_call` step type: its resolved `inputs` fill the endpoint placeholders and
 * `body_field`; its resolved `config` holds the {@link ApiCallConfig} settings.
 *
 * @example
 * ```ts
 * import { StepRegistry, apiCallHandler, apiCallOptions } from 'ia-connectors';
 * new StepRegistry().register('api_call', apiCallHandler, apiCallOptions);
 * ```
 */
export const apiCallHandler: StepHandler = async (ctx) =>
  executeApiCall(ctx.inputs, ctx.config, { registry: ctx.connectors, signal: ctx.signal, stepId: ctx.stepId, emit: ctx.emit });

/**
 * Registration options of `api_call`: `endpoint` is never templated (values reach the
 * path only through encoded placeholders), and settings are checked before the run.
 *
 * @example
 * ```ts
 * import { apiCallOptions } from 'ia-connectors';
 * apiCallOptions.rawConfigKeys; // ['endpoint']
 * ```
 */
export const apiCallOptions: StepTypeOptions = { rawConfigKeys: ['endpoint'], validate: validateApiCallSettings };

/**
 * Checks `api_call` settings before anything runs. Values that are still templates are
 * checked after they are resolved, so only what is already known is judged here.
 *
 * @throws `PIPELINE` {@link ConnectorError} listing the bad settings.
 * @example
 * ```ts
 * import { validateApiCallSettings } from 'ia-connectors';
 * validateApiCallSettings({ id: 'load', inputs: {}, config: { connector: 'catalog', endpoint: '/regions' } });
 * ```
 */
export function validateApiCallSettings(step: StepSettings): void {
  const { endpoint } = step.config;
  if (typeof endpoint === 'string' && hasTemplate(endpoint)) throw endpointTemplateError(endpoint, 'config.endpoint');
  const problems = settingsProblems(apiCallConfigSchema, step.config);
  if (problems.length > 0) throw new ConnectorError('PIPELINE', `invalid api_call settings: ${problems.join('; ')}`);
}


