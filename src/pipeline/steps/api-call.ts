import { configErrorFrom } from '../../core/config.js';
import { ConnectorError } from '../../core/errors.js';
import type { StepCallDeps } from '../step-types.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import { hasTemplate } from '../template.js';
import { apiCallConfigSchema, type ApiCallConfig, type ParsedApiCallConfig } from './api-call-config.js';
import { collectPages } from './paginate.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * What {@link apiCallStep} needs besides the settings: where connectors are, and
 * optionally a signal, the step id for messages, and a progress sink.
 *
 * @example
 * ```ts
 * import type { ApiCallDeps } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const deps: ApiCallDeps = { registry, stepId: 'fetch_user', signal: AbortSignal.timeout(10_000) };
 * ```
 */
export type ApiCallDeps = StepCallDeps;

/**
 * The seed's `api_call_step`, framework-agnostic: fills the endpoint's `{name}`
 * placeholders from `context` (URL-encoded by the connector, never spliced), sends
 * the request through the named connector, and returns `{ [output_field]: body }`, or
 * the body itself without `output_field`. A missing placeholder value is a `TEMPLATE`
 * error, never an empty string.
 *
 * @example
 * ```ts
 * import { apiCallStep } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const out = await apiCallStep({ username: 'ada' }, { connector: 'github_api', endpoint: '/users/{username}', output_field: 'user_data' }, { registry });
 * ```
 */
export async function apiCallStep(context: Record<string, unknown>, config: ApiCallConfig, deps: ApiCallDeps): Promise<unknown> {
  return (await executeApiCall(context, config, deps)).result;
}

/**
 * {@link apiCallStep}, also reporting how many requests were made (retries included,
 * summed over pages), which the runner records as the step's `attempts`.
 *
 * @example
 * ```ts
 * import { executeApiCall } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const { result, attempts } = await executeApiCall({}, { connector: 'catalog', endpoint: '/regions' }, { registry });
 * ```
 */
export async function executeApiCall(
  context: Record<string, unknown>,
  config: unknown,
  deps: ApiCallDeps,
): Promise<{ result: unknown; attempts: number }> {
  const where = deps.stepId === undefined ? 'api_call' : `step "${deps.stepId}"`;
  const settings = parseSettings(config, where);
  const request = buildRequest(context, settings, where);
  const connector = await deps.registry.get(settings.connector);
  assertRestConnector(connector, settings.connector, where);
  let attempts = 0;
  const send = async (req: ApiRequest): Promise<ApiResponse> => {
    const response = await connector.execute(req, deps.signal ? { signal: deps.signal } : {});
    attempts += response.attempts;
    checkStatus(response, req, settings, where);
    return response;
  };
  let body: unknown;
  if (settings.paginate) {
    const emit = deps.emit ?? (() => {});
    body = await collectPages(request, settings.paginate, {
      where,
      send,
      page: (page, items) => emit({ type: 'page', page, items }),
      note: (message) => emit({ type: 'message', message }),
    });
  } else {
    body = (await send(request)).body;
  }
  return { result: settings.output_field === undefined ? body : { [settings.output_field]: body }, attempts };
}

function parseSettings(config: unknown, where: string): ParsedApiCallConfig {
  const parsed = apiCallConfigSchema.safeParse(config);
  if (!parsed.success) {
    const error = configErrorFrom(parsed.error, `api_call settings of ${where}`);
    throw new ConnectorError('PIPELINE', error.message, { details: error.details });
  }
  if (hasTemplate(parsed.data.endpoint)) throw endpointTemplateError(parsed.data.endpoint, where);
  return parsed.data;
}

/**
 * The `PIPELINE` error for a `{{ template }}` in an endpoint: values spliced into a path
 * are how path traversal happens, so they must go through encoded `{name}` placeholders.
 *
 * @example
 * ```ts
 * import { endpointTemplateError } from 'ia-connectors';
 * throw endpointTemplateError('/users/{{ parameters.id }}', 'step "load"');
 * ```
 */
export function endpointTemplateError(endpoint: string, where: string): ConnectorError {
  return new ConnectorError(
    'PIPELINE',
    `${where}: endpoint "${endpoint}" contains a {{ template }}; write a {name} placeholder and set inputs.name to the template, so the value is URL-encoded`,
  );
}

function buildRequest(context: Record<string, unknown>, settings: ParsedApiCallConfig, where: string): ApiRequest {
  const params: Record<string, string | number | boolean> = {};
  for (const match of settings.endpoint.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    const value = Object.hasOwn(context, name) ? context[name] : undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params[name] = value;
      continue;
    }
    const inputs = Object.keys(context).join(', ') || '(none)';
    const problem =
      value === undefined
        ? `has no input "${name}" (inputs: ${inputs}); add "inputs": { "${name}": "{{ ... }}" }`
        : `input "${name}" is ${JSON.stringify(value)}; a path placeholder needs a string, number or boolean`;
    throw new ConnectorError('TEMPLATE', `${where}: endpoint placeholder {${name}} ${problem}`);
  }
  const request: ApiRequest = { method: settings.method ?? 'GET', endpoint: settings.endpoint, params };
  if (settings.query) request.query = settings.query;
  if (settings.headers) request.headers = settings.headers;
  const body = settings.body_field === undefined ? settings.body : bodyFromField(context, settings.body_field, where);
  if (body !== undefined) request.json = body;
  return request;
}

function bodyFromField(context: Record<string, unknown>, field: string, where: string): unknown {
  if (!Object.hasOwn(context, field)) {
    throw new ConnectorError('TEMPLATE', `${where}: body_field "${field}" names no input; inputs are: ${Object.keys(context).join(', ') || '(none)'}`);
  }
  return context[field];
}

function checkStatus(response: ApiResponse, request: ApiRequest, settings: ParsedApiCallConfig, where: string): void {
  const expected = settings.expect_status === undefined ? undefined : [settings.expect_status].flat();
  if (expected ? expected.includes(response.status) : response.ok) return;
  const wanted = expected ? expected.join(' or ') : '2xx';
  throw new ConnectorError('STEP', `${where}: ${request.method} ${response.url || request.endpoint} answered ${response.status}, expected ${wanted}`, {
    details: { status: response.status, connector: settings.connector, method: request.method, url: response.url },
  });
}

/** Connectors of other protocols also have `execute`, with another request shape. */
function assertRestConnector(connector: unknown, name: string, where: string): void {
  const protocol = (connector as { config?: { protocol?: unknown } } | undefined)?.config?.protocol;
  if (protocol !== undefined && protocol !== 'rest') {
    throw new ConnectorError('PIPELINE', `${where}: connector "${name}" is a ${String(protocol)} connector; api_call needs a REST connector — use a ${String(protocol)} step instead`);
  }
}
