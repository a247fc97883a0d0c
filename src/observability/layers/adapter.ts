import type { ConnectorEvents } from '../../core/connector-events.js';
import type { TypedEvents } from '../../core/events.js';
import type { ObservedAttributes } from '../../core/observer.js';
import type { ObservedCall, ObservedProtocol, ObservedResult } from '../observer.js';

/**
 * How the observer layers read one protocol's requests and responses: the call as
 * observers see it (semantic-convention name and attributes, all redacted), each
 * attempt's attributes, how a response or an error ended it, and how trace-context
 * headers ride on a request. `src/observability/protocols/` has one per protocol.
 *
 * @example
 * ```ts
 * import type { ObservationAdapter } from 'ia-connectors';
 * const echo: ObservationAdapter<string, string> = {
 *   connector: 'echo',
 *   protocol: 'rest',
 *   call: (request, startTime) => ({ connector: 'echo', protocol: 'rest', name: 'echo', attributes: {}, startTime }),
 *   attempt: () => ({}),
 *   result: () => ({ ok: true, attributes: {} }),
 *   failure: () => ({ ok: false, attributes: {}, error: { code: 'NETWORK', message: 'failed' } }),
 *   propagate: (request) => request,
 * };
 * ```
 */
export interface ObservationAdapter<Req, Res> {
  readonly connector: string;
  readonly protocol: ObservedProtocol;
  /** The connector's events, handed to observers' `attach()`. */
  readonly events?: TypedEvents<ConnectorEvents> | undefined;
  /** The call as observers first see it. */
  call(request: Req, startTime: number): ObservedCall;
  /** Attributes of one attempt (`http.request.resend_count` on a retry). */
  attempt(request: Req, attempt: number): ObservedAttributes;
  /** How a response ended the call or attempt; `ok: false` for an error status. */
  result(response: Res, request: Req): ObservedResult;
  /** How a thrown error ended it: its code, a redacted message, protocol status attributes. */
  failure(error: unknown, request: Req): ObservedResult;
  /** A copy of `request` carrying `headers` (HTTP headers, gRPC metadata, handshake headers). */
  propagate(request: Req, headers: Readonly<Record<string, string>>): Req;
}
