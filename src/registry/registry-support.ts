import { ConnectorError, isConnectorError } from '../core/errors.js';
import { Redactor } from '../observability/redact.js';
import type { AnyConnector } from './protocols.js';
import { redactConfig } from './redact-config.js';

/**
 * A connect failure renamed to say which connector failed and where it was configured,
 * so "`${env:X}` is not set" points at one entry of one file. Code, retryability and
 * details are kept; the original is the cause.
 *
 * @example
 * ```ts
 * import { connectFailed } from './registry-support.js';
 * throw connectFailed('users', 'connectors.yaml:2:5', new Error('boom'));
 * ```
 */
export function connectFailed(name: string, source: string, error: unknown): unknown {
  if (!isConnectorError(error) || error.code === 'NOT_CONNECTED') return error;
  return new ConnectorError(error.code, `connector "${name}" (${source}) could not connect: ${error.message}`, {
    cause: error,
    retryable: error.retryable,
    details: { ...error.details, connector: name, source },
  });
}

/**
 * The error for using a registry after `closeAll()`.
 *
 * @example
 * ```ts
 * import { closedError } from './registry-support.js';
 * closedError('get("users")').code; // 'NOT_CONNECTED'
 * ```
 */
export function closedError(action: string): ConnectorError {
  return new ConnectorError('NOT_CONNECTED', `${action} on a closed connector registry; create a new registry after closeAll()`);
}

/**
 * The connector's redactor when it has one (REST connectors do), so secrets resolved
 * by the registry are hidden in its errors and events too.
 *
 * @example
 * ```ts
 * import { redactorOf } from './registry-support.js';
 * import { createRestConnector } from 'ia-connectors';
 * redactorOf(createRestConnector({ name: 'a', baseUrl: 'http://127.0.0.1:8080' }))?.add({ secrets: ['s3cr3t'] });
 * ```
 */
export function redactorOf(connector: AnyConnector): Redactor | undefined {
  const candidate = (connector as { redactor?: unknown }).redactor;
  return candidate instanceof Redactor ? candidate : undefined;
}

/**
 * The protocol named by a connector's `config`, if it exposes one.
 *
 * @example
 * ```ts
 * import { protocolOf } from './registry-support.js';
 * import { createRestConnector } from 'ia-connectors';
 * protocolOf(createRestConnector({ name: 'a', baseUrl: 'http://127.0.0.1:8080' })); // 'rest'
 * ```
 */
export function protocolOf(connector: AnyConnector | undefined): string | undefined {
  const config = (connector as { config?: { protocol?: unknown } } | undefined)?.config;
  return typeof config?.protocol === 'string' ? config.protocol : undefined;
}

/**
 * A printable view of a connector registered as an instance: its config with secrets
 * hidden, or else its own `toJSON()`.
 *
 * @example
 * ```ts
 * import { connectorJson } from './registry-support.js';
 * import { createRestConnector } from 'ia-connectors';
 * connectorJson(createRestConnector({ name: 'a', baseUrl: 'http://127.0.0.1:8080', auth: { type: 'bearer', token: 't0k3n-1' } }));
 * ```
 */
export function connectorJson(connector: AnyConnector | undefined): unknown {
  const config = (connector as { config?: unknown } | undefined)?.config;
  if (typeof config === 'object' && config !== null) return redactConfig(config);
  const toJSON = (connector as { toJSON?: () => unknown } | undefined)?.toJSON;
  return typeof toJSON === 'function' ? toJSON.call(connector) : undefined;
}
