import type { WebSocket } from 'ws';
import type { AuthCredentials } from '../../../auth/strategy.js';
import { ConnectorError, isConnectorError } from '../../../core/errors.js';
import type { OpenedSocket } from '../call.js';
import type { CloseInfo } from './close-errors.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * The WebSocket graphql-ws drives, whose opening runs through the connector's policy
 * chain: graphql-ws constructs it as it would a browser WebSocket, and it reports
 * `open` once the chain (retry, breaker, rate limit, timeouts, auth) has produced an
 * upgraded `ws` socket, or `error` with the chain's typed error. Closing it while the
 * chain is still working aborts that work.
 *
 * @example
 * ```ts
 * import { chainedSocketClass } from 'ia-connectors';
 * declare const open: (signal: AbortSignal) => Promise<import('ia-connectors').OpenedSocket>;
 * const Impl = chainedSocketClass(open, (socket) => console.log('new socket', socket.readyState));
 * ```
 */
export class ChainedSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  readyState: number = CONNECTING;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: CloseInfo & { wasClean: boolean }) => void) | null = null;
  onerror: ((error: unknown) => void) | null = null;
  /** The credentials this connection was opened with, for `connection_init`. */
  credentials: AuthCredentials | undefined;
  readonly #abort = new AbortController();
  #ws: WebSocket | undefined;

  constructor(open: (signal: AbortSignal) => Promise<OpenedSocket>) {
    open(this.#abort.signal).then(
      (opened) => this.#adopt(opened),
      (error: unknown) => {
        if (this.readyState === CLOSED) return;
        this.readyState = CLOSED;
        this.onerror?.(isConnectorError(error) ? error : new ConnectorError('WEBSOCKET', String(error), { cause: error }));
        this.onclose?.({ code: 1006, reason: '', wasClean: false });
      },
    );
  }

  send(data: string): void {
    if (this.readyState === OPEN) this.#ws?.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= CLOSING) return;
    if (!this.#ws) {
      // Still in the chain: stop it, and report the close as a socket would (later, never re-entrantly).
      this.readyState = CLOSED;
      this.#abort.abort(new ConnectorError('ABORTED', 'the subscription connection was closed while opening'));
      queueMicrotask(() => this.onclose?.({ code: code ?? 1000, reason: reason ?? '', wasClean: true }));
      return;
    }
    this.readyState = CLOSING;
    this.#ws.close(code, reason);
  }

  /** Drops the connection without a closing handshake (a dead peer never completes one). */
  kill(): void {
    if (this.#ws) this.#ws.terminate();
    else this.close();
  }

  #adopt({ socket, credentials }: OpenedSocket): void {
    if (this.readyState !== CONNECTING) {
      socket.close(1000, 'Normal Closure');
      return;
    }
    this.#ws = socket;
    this.credentials = credentials;
    socket.on('message', (data) => this.onmessage?.({ data: String(data) }));
    socket.on('error', (error: Error & { code?: string }) => this.onerror?.(socketFailure(error)));
    socket.on('close', (code, reason) => {
      this.readyState = CLOSED;
      this.onclose?.({ code, reason: reason.toString(), wasClean: code !== 1006 });
    });
    this.readyState = OPEN;
    this.onopen?.({});
  }
}

/**
 * A {@link ChainedSocket} class bound to one opener, in the shape graphql-ws's
 * `webSocketImpl` expects (`new Impl(url, protocol)` plus the ready-state constants);
 * `onCreate` sees each socket as graphql-ws creates it.
 *
 * @example
 * ```ts
 * import { chainedSocketClass } from 'ia-connectors';
 * declare const open: (signal: AbortSignal) => Promise<import('ia-connectors').OpenedSocket>;
 * const Impl = chainedSocketClass(open, () => {});
 * ```
 */
export function chainedSocketClass(open: (signal: AbortSignal) => Promise<OpenedSocket>, onCreate: (socket: ChainedSocket) => void): typeof ChainedSocket {
  return class extends ChainedSocket {
    constructor() {
      super(open);
      onCreate(this);
    }
  };
}

function socketFailure(error: Error & { code?: string }): ConnectorError {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return new ConnectorError('MESSAGE_TOO_LARGE', `a subscription message exceeded subscriptions.maxPayload (${error.message}); raise it, or select fewer fields`, { cause: error });
  }
  return new ConnectorError('WEBSOCKET', `the subscription connection failed: ${error.message}`, { cause: error, details: error.code ? { systemCode: error.code } : {} });
}
