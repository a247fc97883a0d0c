import type { ConnectorEvents } from '../../core/connector-events.js';
import type { SocketState } from './types.js';

/**
 * Events of the socket behind a WebSocket connector. URLs and close reasons pass
 * the connector's redactor first; no payload carries a secret.
 *
 * @example
 * ```ts
 * import type { WebSocketEvents } from 'ia-connectors';
 * const log = (e: WebSocketEvents['socketClose']) => console.log(`closed ${e.code} ${e.reason}; reconnect: ${e.reconnect}`);
 * ```
 */
export interface WebSocketEvents {
  /** The socket moved from one state to another. */
  socketState: { connector: string; from: SocketState; to: SocketState };
  /** A socket opened; `reconnect` is 0 for the first, n for the n-th reopen. */
  socketOpen: { connector: string; url: string; protocol: string; reconnect: number };
  /** A socket closed: `code` (1000, 1006, 4xxx ...), `reason`, who closed it and whether it will be reopened. */
  socketClose: { connector: string; code: number; reason: string; byClient: boolean; reconnect: boolean };
  /** A reopen round starts after `delayMs`. */
  reconnecting: { connector: string; attempt: number; delayMs: number; reason: string };
  /** Messages were discarded: the receive buffer was full, or a reply came after its request gave up. */
  messageDropped: { connector: string; reason: 'buffer_full' | 'late_reply'; count: number };
  /** Something failed outside any call, e.g. the `onReconnect` hook threw; `error` is redacted. */
  socketError: { connector: string; error: { code: string; message: string } };
}

/**
 * Every event a WebSocket connector emits: the shared connector events plus
 * {@link WebSocketEvents}.
 *
 * @example
 * ```ts
 * import type { WebSocketConnectorEvents } from 'ia-connectors';
 * type Name = keyof WebSocketConnectorEvents; // 'retry' | 'socketOpen' | ...
 * ```
 */
export type WebSocketConnectorEvents = ConnectorEvents & WebSocketEvents;
