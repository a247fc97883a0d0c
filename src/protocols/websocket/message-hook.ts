import type { ChainLayer } from '../../core/chain.js';
import type { WebSocketChannel } from './channel.js';
import type { MessageWaitOptions, OutgoingMessage, WebSocketMessage, WebSocketOpenRequest } from './types.js';

/**
 * The connector's message paths as a {@link WebSocketMessageHook} sees them: the live
 * `send` and `request` (through the filters and the socket), and `deliver`, which puts
 * a message in the receive buffer as if it had arrived.
 *
 * @example
 * ```ts
 * import type { WebSocketMessagePaths } from 'ia-connectors';
 * const hello = (paths: WebSocketMessagePaths) => paths.deliver({ type: 'json', data: { type: 'hello' } });
 * ```
 */
export interface WebSocketMessagePaths {
  send(message: OutgoingMessage): Promise<void>;
  request(message: object, options: MessageWaitOptions): Promise<unknown>;
  deliver(message: WebSocketMessage): void;
}

/**
 * Stands between a WebSocket connector's message API and its socket, for a recording
 * (a cassette): it sees every `send()` and `request()` and every message a reader
 * takes (`receive()`, `stream()`). When it is not `live`, the connector never opens its
 * socket: the hook answers requests and delivers the messages that follow a send.
 *
 * @example
 * ```ts
 * import type { WebSocketMessageHook } from 'ia-connectors';
 * const passThrough: WebSocketMessageHook = {
 *   live: true,
 *   send: (message, paths) => paths.send(message),
 *   request: (message, options, paths) => paths.request(message, options),
 *   taken: () => {},
 * };
 * ```
 */
export interface WebSocketMessageHook {
  /** `false`: the socket is never opened; `send()` and `request()` are answered by the hook. */
  readonly live: boolean;
  /** When not live, told at every `connect()` (the connector calls it before reading, too): deliver what came before any send. */
  connected?(paths: WebSocketMessagePaths): void;
  send(message: OutgoingMessage, paths: WebSocketMessagePaths): Promise<void>;
  request(message: object, options: MessageWaitOptions, paths: WebSocketMessagePaths): Promise<unknown>;
  /** A message a reader took from the receive buffer. */
  taken(message: WebSocketMessage): void;
}

/**
 * A chain layer (around opening the socket) that also carries a
 * {@link WebSocketMessageHook}: how a hook reaches a connector built by a registry,
 * which passes layers. The connector takes the hook of the first such layer.
 *
 * @example
 * ```ts
 * import type { WebSocketMessageHookLayer } from 'ia-connectors';
 * const hookOf = (layer: WebSocketMessageHookLayer) => layer.websocketMessageHook;
 * ```
 */
export interface WebSocketMessageHookLayer extends ChainLayer<WebSocketOpenRequest, WebSocketChannel> {
  readonly websocketMessageHook: WebSocketMessageHook;
}

/**
 * The {@link WebSocketMessageHook} carried by one of `layers`, if any.
 *
 * @example
 * ```ts
 * import { websocketMessageHookOf } from './message-hook.js';
 * websocketMessageHookOf([]); // undefined
 * ```
 */
export function websocketMessageHookOf(layers: readonly ChainLayer<WebSocketOpenRequest, WebSocketChannel>[] | undefined): WebSocketMessageHook | undefined {
  const layer = layers?.find((l): l is WebSocketMessageHookLayer => typeof (l as Partial<WebSocketMessageHookLayer>).websocketMessageHook === 'object');
  return layer?.websocketMessageHook;
}
