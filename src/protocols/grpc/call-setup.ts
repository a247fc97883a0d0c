import type { Client, Metadata } from '@grpc/grpc-js';
import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';
import type { GrpcMethod } from './methods.js';
import type { CallFacts } from './status-error.js';

/**
 * Everything one call on the wire needs, prepared by the transport.
 *
 * @example
 * ```ts
 * import type { CallSetup } from './call-setup.js';
 * const options = (setup: CallSetup) => (setup.deadline === undefined ? {} : { deadline: setup.deadline });
 * ```
 */
export interface CallSetup {
  readonly client: Client;
  readonly method: GrpcMethod;
  readonly metadata: Metadata;
  /** Epoch milliseconds sent as the gRPC deadline; none when undefined. */
  readonly deadline: number | undefined;
  readonly signal: CallSignal | undefined;
  readonly facts: CallFacts;
  readonly redactor: Redactor;
  /** Told every status that arrives, for the `response` event. */
  readonly onStatus: ((code: number) => void) | undefined;
}

/**
 * Throws a `PROTO` error when `message` does not match the method's request type
 * (`path` names it in the message, e.g. `request` or `messages[3]`).
 *
 * @example
 * ```ts
 * import { checkMessage } from './call-setup.js';
 * declare const setup: import('./call-setup.js').CallSetup;
 * checkMessage(setup, { name: 'ada' }, 'request');
 * ```
 */
export function checkMessage(setup: CallSetup, message: unknown, path: string): void {
  const problem = setup.method.check?.(message, path);
  if (!problem) return;
  const type = setup.method.requestType ?? 'its request type';
  throw new ConnectorError('PROTO', `${problem.path}: ${problem.problem}; fix the message for ${setup.method.path} (${type})`, {
    details: { connector: setup.facts.connector, method: setup.method.path, field: problem.path, messageType: type },
  });
}

/**
 * The error for a message source (an iterable of messages to send) that threw: a
 * `ConnectorError` as is, anything else as `INVALID_REQUEST` with the cause kept.
 *
 * @example
 * ```ts
 * import { sourceError } from './call-setup.js';
 * declare const setup: import('./call-setup.js').CallSetup;
 * sourceError(setup, new Error('disk full')).code; // 'INVALID_REQUEST'
 * ```
 */
export function sourceError(setup: CallSetup, error: unknown): ConnectorError {
  if (isConnectorError(error)) return error;
  return new ConnectorError('INVALID_REQUEST', `reading the messages to send to ${setup.method.path} failed: ${setup.redactor.message(error)}`, {
    cause: error,
    details: { connector: setup.facts.connector, method: setup.method.path },
  });
}
