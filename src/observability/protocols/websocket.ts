import type { ConnectorEvents } from '../../core/connector-events.js';
import type { TypedEvents } from '../../core/events.js';
import type { WebSocketChannel } from '../../protocols/websocket/channel.js';
import type { WebSocketOpenRequest } from '../../protocols/websocket/types.js';
import type { ObservationAdapter } from '../layers/adapter.js';
import type { Redactor } from '../redact.js';
import { serverAttributes } from './common.js';
import { httpFailure, withHeaders } from './http.js';
import { observedMessage } from './message.js';

/**
 * What {@link websocketObservation} needs to know about a WebSocket connector.
 *
 * @example
 * ```ts
 * import { Redactor, type WebSocketObservationOptions } from 'ia-connectors';
 * const o: WebSocketObservationOptions = { connector: 'feed', redactor: new Redactor() };
 * ```
 */
export interface WebSocketObservationOptions {
  connector: string;
  redactor: Redactor;
  events?: TypedEvents<ConnectorEvents>;
}

/**
 * Observes what a WebSocket connector's chain guards: opening the socket (and every
 * reopening, with `ia_connectors.websocket.reconnect`), named `websocket open`, with
 * `server.address`, `server.port`, `url.scheme` and a redacted `url.full`; a refused
 * handshake keeps its `http.response.status_code`. Messages travel outside the chain
 * and are not observed one by one. Trace-context headers go out in the handshake.
 *
 * @example
 * ```ts
 * import { websocketObservation, Redactor } from 'ia-connectors';
 * const adapter = websocketObservation({ connector: 'feed', redactor: new Redactor() });
 * ```
 */
export function websocketObservation(options: WebSocketObservationOptions): ObservationAdapter<WebSocketOpenRequest, WebSocketChannel> {
  const { connector, redactor } = options;
  return {
    connector,
    protocol: 'websocket',
    events: options.events,
    call(request, startTime) {
      const url = new URL(request.url);
      const attributes = {
        ...serverAttributes(url),
        'url.scheme': url.protocol.slice(0, -1),
        'url.full': redactor.url(request.url),
        ...(request.reconnect > 0 ? { 'ia_connectors.websocket.reconnect': request.reconnect } : {}),
      };
      const shown = request.protocols.length > 0 ? { ...request.headers, 'sec-websocket-protocol': request.protocols.join(', ') } : request.headers;
      return { connector, protocol: 'websocket', name: 'websocket open', attributes, startTime, request: () => observedMessage(shown, undefined, redactor) };
    },
    attempt: () => ({}),
    result: () => ({ ok: true, attributes: { 'http.response.status_code': 101 } }),
    failure: (error) => httpFailure(error, redactor),
    propagate: (request, headers) => ({ ...request, headers: withHeaders(request.headers, headers) }),
  };
}
