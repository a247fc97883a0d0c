/**
 * A value an observer records: the attribute types OpenTelemetry accepts.
 *
 * @example
 * ```ts
 * import type { ObservedValue } from 'ia-connectors';
 * const v: ObservedValue = 503;
 * ```
 */
export type ObservedValue = string | number | boolean;

/**
 * Attributes of a call, an attempt or an event, named after the OpenTelemetry
 * semantic conventions (`http.request.method`, `server.address`, `url.full`,
 * `rpc.method`, `graphql.operation.name`, ...). URLs and values are already redacted.
 *
 * @example
 * ```ts
 * import type { ObservedAttributes } from 'ia-connectors';
 * const a: ObservedAttributes = { 'http.request.method': 'GET', 'server.address': '127.0.0.1' };
 * ```
 */
export type ObservedAttributes = Record<string, ObservedValue>;

/**
 * What happened inside a call between its attempts: a retry was scheduled, the call
 * waited for (or was refused) a rate-limit token or a bulkhead slot, the circuit
 * breaker refused it, credentials were refreshed.
 *
 * @example
 * ```ts
 * import type { CallEventName } from 'ia-connectors';
 * const e: CallEventName = 'rate_limit.wait';
 * ```
 */
export type CallEventName =
  | 'retry'
  | 'rate_limit.wait'
  | 'rate_limit.rejected'
  | 'circuit_breaker.rejected'
  | 'bulkhead.wait'
  | 'bulkhead.rejected';

/**
 * Where policies report what they did to one call. Policies receive it through
 * `PolicyRunOptions.observation` and call it only when it is set, so a connector
 * without observers pays nothing.
 *
 * @example
 * ```ts
 * import type { CallEvents } from 'ia-connectors';
 * const log: CallEvents = { event: (name, attributes) => console.log(name, attributes) };
 * ```
 */
export interface CallEvents {
  event(name: CallEventName, attributes: ObservedAttributes): void;
}
