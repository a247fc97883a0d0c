import type { z } from 'zod';
import { settingsProblems } from './settings-problems.js';
import { configErrorFrom } from '../../core/config.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import { isWebSocketConnector, type WebSocketConnector } from '../../protocols/websocket/connector.js';
import type { WebSocketMessage } from '../../protocols/websocket/types.js';
import { evaluateCondition } from '../conditions.js';
import type { TemplateScope } from '../render.js';
import type { StepContext, StepHandler, StepSettings, StepTypeOptions } from '../step-types.js';
import { websocketStepConfigSchema } from './websocket-config.js';

type Settings = z.output<typeof websocketStepConfigSchema>;

/**
 * The `websocket` step type: sends `message` through the named WebSocket connector,
 * then returns the reply (`request: true`) or the messages collected until `count`,
 * `until` or `timeout`. Binary messages come out as base64 text. A connector of
 * another protocol is a `PIPELINE` error; a timeout is `TIMEOUT` unless
 * `on_timeout: "return"`.
 *
 * @example
 * ```ts
 * import { StepRegistry, websocketHandler, websocketStepOptions } from 'ia-connectors';
 * new StepRegistry().register('websocket', websocketHandler, websocketStepOptions);
 * ```
 */
export const websocketHandler: StepHandler = async (ctx) => {
  const where = `step "${ctx.stepId}"`;
  const parsed = websocketStepConfigSchema.safeParse(ctx.config);
  if (!parsed.success) {
    const error = configErrorFrom(parsed.error, `websocket settings of ${where}`);
    throw new ConnectorError('PIPELINE', error.message, { details: error.details });
  }
  const settings = parsed.data;
  const connector = await websocketConnector(ctx, settings.connector, where);
  const result = settings.request
    ? await connector.request(settings.message as object, { timeout: settings.timeout, signal: ctx.signal })
    : await collect(ctx, connector, settings, where);
  return { result: settings.output_field === undefined ? result : { [settings.output_field]: result } };
};

/**
 * Registration options of `websocket`: settings are checked before the run (values
 * that are still templates are checked once resolved).
 *
 * @example
 * ```ts
 * import { websocketStepOptions } from 'ia-connectors';
 * typeof websocketStepOptions.validate; // 'function'
 * ```
 */
export const websocketStepOptions: StepTypeOptions = { validate: validateWebSocketSettings };

/**
 * Checks `websocket` step settings before anything runs.
 *
 * @throws `PIPELINE` {@link ConnectorError} listing the bad settings.
 * @example
 * ```ts
 * import { validateWebSocketSettings } from 'ia-connectors';
 * validateWebSocketSettings({ id: 'ticks', inputs: {}, config: { connector: 'market', count: 3 } });
 * ```
 */
export function validateWebSocketSettings(step: StepSettings): void {
  const problems = settingsProblems(websocketStepConfigSchema, step.config);
  if (problems.length > 0) throw new ConnectorError('PIPELINE', `invalid websocket settings of step "${step.id}": ${problems.join('; ')}`);
}

async function websocketConnector(ctx: StepContext, name: string, where: string): Promise<WebSocketConnector> {
  const connector: unknown = await ctx.connectors.get(name);
  if (isWebSocketConnector(connector)) return connector;
  const protocol = (connector as { config?: { protocol?: unknown } } | undefined)?.config?.protocol;
  const kind = typeof protocol === 'string' ? `a ${protocol} connector` : 'not a WebSocket connector';
  throw new ConnectorError('PIPELINE', `${where}: connector "${name}" is ${kind}; the websocket step needs a connector with protocol: websocket`, {
    details: { connector: name },
  });
}

async function collect(ctx: StepContext, connector: WebSocketConnector, settings: Settings, where: string): Promise<unknown[]> {
  if (settings.message !== undefined) await connector.send(settings.message as object);
  const want = settings.count ?? (settings.until ? Number.POSITIVE_INFINITY : 1);
  const started = performance.now();
  const messages: unknown[] = [];
  const scope = settings.until ? scopeOf(ctx) : undefined;
  while (messages.length < want) {
    const left = Math.ceil(settings.timeout - (performance.now() - started));
    let message: WebSocketMessage;
    try {
      if (left <= 0) throw new ConnectorError('TIMEOUT', 'no time left');
      message = await connector.receive({ timeout: left, signal: ctx.signal });
    } catch (error) {
      if (!isConnectorError(error) || error.code !== 'TIMEOUT') throw error;
      if (settings.on_timeout === 'return') break;
      const goal = settings.count !== undefined ? `${settings.count} message(s)` : 'a message matching "until"';
      throw new ConnectorError('TIMEOUT', `${where}: got ${messages.length} message(s) from connector "${settings.connector}" in ${settings.timeout} ms, waiting for ${goal}; raise timeout or set on_timeout: "return"`, {
        cause: error,
        details: { connector: settings.connector, received: messages.length, timeoutMs: settings.timeout },
      });
    }
    const value = valueOf(message);
    messages.push(value);
    if (Number.isFinite(want)) ctx.emit({ type: 'items', completed: messages.length, total: want });
    if (settings.until && scope && evaluateCondition({ type: 'expression', config: settings.until }, { ...scope, variables: { message: value } }, `${where} until`, ctx.stepId)) break;
  }
  return messages;
}

function valueOf(message: WebSocketMessage): unknown {
  return message.type === 'binary' ? Buffer.from(message.data).toString('base64') : message.data;
}

function scopeOf(ctx: StepContext): TemplateScope {
  const results = new Map(Object.entries(ctx.results));
  return { parameters: ctx.parameters, pipelineInput: ctx.pipelineInput, stepIds: new Set(results.keys()), results, skipped: new Set() };
}

