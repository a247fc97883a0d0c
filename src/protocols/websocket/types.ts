/**
 * One request through the WebSocket connector's chain: open a socket. Retry,
 * circuit breaker, rate limiter and auth guard this, never the messages that follow.
 *
 * @example
 * ```ts
 * import type { WebSocketOpenRequest } from 'ia-connectors';
 * const open: WebSocketOpenRequest = { url: 'ws://127.0.0.1:8080/ws', headers: {}, protocols: [], reconnect: 0 };
 * ```
 */
export interface WebSocketOpenRequest {
  /** `ws://` or `wss://` URL, without credentials. */
  readonly url: string;
  /** Handshake headers; the auth layer adds credentials to a copy. */
  readonly headers: Readonly<Record<string, string>>;
  /** Handshake query parameters the auth layer adds (a token), kept apart so the URL stays secret-free. */
  readonly query?: Readonly<Record<string, string>>;
  readonly protocols: readonly string[];
  /** Text frames sent right after the socket opens, before anything else (a first-message auth). */
  readonly firstMessages?: readonly string[];
  /** 0 for the first open, n for the n-th reopen after a drop. */
  readonly reconnect: number;
}

/**
 * An incoming message: parsed JSON, text, or bytes. With `format: 'json'`, a text
 * frame that is not JSON arrives as `type: 'text'` with `invalidJson: true`, never
 * dropped and never an exception.
 *
 * @example
 * ```ts
 * import type { WebSocketMessage } from 'ia-connectors';
 * const show = (m: WebSocketMessage) => (m.type === 'binary' ? `${m.data.byteLength} bytes` : JSON.stringify(m.data));
 * ```
 */
export type WebSocketMessage<T = unknown> =
  | { readonly type: 'json'; readonly data: T }
  | { readonly type: 'text'; readonly data: string; readonly invalidJson?: true }
  | { readonly type: 'binary'; readonly data: Uint8Array };

/**
 * What `send()` accepts: objects, arrays, numbers, booleans and `null` are sent as
 * JSON text; strings as text; bytes as a binary frame.
 *
 * @example
 * ```ts
 * import type { OutgoingMessage } from 'ia-connectors';
 * const subscribe: OutgoingMessage = { type: 'subscribe', topic: 'ticker' };
 * ```
 */
export type OutgoingMessage = string | Uint8Array | ArrayBuffer | number | boolean | null | object;

/**
 * A frame ready for the wire: text or bytes.
 *
 * @example
 * ```ts
 * import type { WireFrame } from 'ia-connectors';
 * const frame: WireFrame = '{"type":"ping"}';
 * ```
 */
export type WireFrame = string | Uint8Array;

/**
 * State of the connector's socket, reported by the `socketState` event:
 * `idle` (never opened), `connecting`, `open`, `reconnecting` (dropped, reopening),
 * `closing` (by `close()`), `closed` (by `close()`, or reopening gave up).
 *
 * @example
 * ```ts
 * import type { SocketState } from 'ia-connectors';
 * const usable = (s: SocketState) => s === 'open';
 * ```
 */
export type SocketState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';

/**
 * Per-call options of `receive()` and `request()`.
 *
 * @example
 * ```ts
 * import type { MessageWaitOptions } from 'ia-connectors';
 * const o: MessageWaitOptions = { timeout: 2000, signal: AbortSignal.timeout(5000) };
 * ```
 */
export interface MessageWaitOptions {
  /** Milliseconds to wait; `TIMEOUT` after that. `request()` defaults to `correlation.timeout`. */
  timeout?: number;
  /** Stops waiting with `ABORTED`. */
  signal?: AbortSignal;
}
