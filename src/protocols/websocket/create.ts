import { parseConfig } from '../../core/config.js';
import { websocketConnectorConfigSchema, type WebSocketConnectorOptions } from './config.js';
import { WebSocketConnector, type WebSocketConnectorExtras } from './connector.js';

/**
 * Validates `options` and creates a {@link WebSocketConnector}; invalid options throw
 * one `CONFIG` error listing every bad field with its path and the fix. The socket
 * opens on `connect()` or lazily on the first `send()`, `request()` or `receive()`.
 *
 * @example
 * ```ts
 * import { createWebSocketConnector } from 'ia-connectors';
 * const feed = createWebSocketConnector({ name: 'feed', baseUrl: 'http://127.0.0.1:8080', endpoint: '/ws', heartbeat: { interval: 15_000, timeout: 5_000 } });
 * await feed.connect();
 * ```
 */
export function createWebSocketConnector(
  options: Omit<WebSocketConnectorOptions, 'protocol'> & { protocol?: 'websocket' },
  extras?: WebSocketConnectorExtras,
): WebSocketConnector {
  const name = typeof options?.name === 'string' ? options.name : 'unnamed';
  const input = typeof options === 'object' && options !== null ? { protocol: 'websocket', ...options } : options;
  return new WebSocketConnector(parseConfig(websocketConnectorConfigSchema, input, `config of WebSocket connector "${name}"`), extras);
}
