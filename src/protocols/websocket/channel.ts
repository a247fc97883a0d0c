import { WebSocket, type RawData } from 'ws';
import type { WireFrame } from './types.js';

/** Frames kept for a channel nobody has attached to yet; beyond this they are counted as dropped. */
const EARLY_LIMIT = 1000;

/** `ws` reports a peer's protocol violation as an error, then a bare 1006; these are the close codes it means. */
const VIOLATION_CODES: Record<string, number> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_INVALID_OPCODE: 1002,
  WS_ERR_INVALID_CLOSE_CODE: 1002,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002,
  WS_ERR_EXPECTED_FIN: 1002,
  WS_ERR_EXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_RSV_1: 1002,
  WS_ERR_UNEXPECTED_RSV_2_3: 1002,
};

/**
 * Where an open channel delivers what happens on its socket.
 *
 * @example
 * ```ts
 * import type { ChannelSink } from 'ia-connectors';
 * const sink: ChannelSink = { message: (data, binary) => console.log(binary, data.length), close: (code) => console.log(code), pong: () => {} };
 * ```
 */
export interface ChannelSink {
  message(data: Buffer, isBinary: boolean): void;
  close(code: number, reason: string, byClient: boolean): void;
  pong(): void;
  /** Frames that arrived before `attach` and did not fit the early buffer. */
  dropped?(count: number): void;
}

/**
 * One open socket, as the chain returns it. It listens from the moment the socket
 * opens and keeps what arrives until a sink attaches, so no frame is lost between
 * the handshake and the caller taking over; its `error` listener keeps a socket
 * failure from crashing the process (a `close` always follows).
 *
 * @example
 * ```ts
 * import type { WebSocketChannel } from 'ia-connectors';
 * declare const channel: WebSocketChannel;
 * channel.attach({ message: (d) => console.log(d.toString()), close: () => {}, pong: () => {} });
 * channel.send('{"type":"hello"}');
 * ```
 */
export class WebSocketChannel {
  #sink: ChannelSink | undefined;
  #early: [Buffer, boolean][] = [];
  #earlyDropped = 0;
  #closed: { code: number; reason: string } | undefined;
  #byClient = false;
  #violation: { code: number; reason: string } | undefined;

  constructor(
    private readonly socket: WebSocket,
    /** The socket URL with secrets redacted. */
    readonly url: string,
  ) {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const buffer = toBuffer(data);
      if (this.#sink) this.#sink.message(buffer, isBinary);
      else if (this.#early.length < EARLY_LIMIT) this.#early.push([buffer, isBinary]);
      else this.#earlyDropped++;
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.#closed = this.#violation && code === 1006 ? this.#violation : { code, reason: reason.toString('utf8') };
      this.#sink?.close(this.#closed.code, this.#closed.reason, this.#byClient);
    });
    socket.on('pong', () => this.#sink?.pong());
    socket.on('error', (error: Error & { code?: string }) => {
      const code = error.code === undefined ? undefined : VIOLATION_CODES[error.code];
      if (code !== undefined) this.#violation = { code, reason: error.message };
    });
  }

  /** The subprotocol the server chose, or `''`. */
  get protocol(): string {
    return this.socket.protocol;
  }

  /** True while frames can be sent. */
  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Bytes queued in the socket but not yet written. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** Starts delivering to `sink`, first what arrived before. */
  attach(sink: ChannelSink): void {
    this.#sink = sink;
    const early = this.#early;
    this.#early = [];
    for (const [data, binary] of early) sink.message(data, binary);
    if (this.#earlyDropped > 0) sink.dropped?.(this.#earlyDropped);
    if (this.#closed) sink.close(this.#closed.code, this.#closed.reason, this.#byClient);
  }

  /** Writes one frame; the caller checks {@link WebSocketChannel.isOpen} first. */
  send(frame: WireFrame): void {
    this.socket.send(frame);
  }

  /** Sends a ping control frame. */
  ping(): void {
    if (this.isOpen) this.socket.ping();
  }

  /**
   * Closes with `code` and `reason`, waiting up to `timeoutMs` for the server's close
   * frame before dropping the connection.
   */
  close(code: number, reason: string, timeoutMs: number): Promise<void> {
    this.#byClient = true;
    if (this.#closed || this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      // A timer only while closing: a peer that never answers must not hold close() forever.
      const timer = setTimeout(() => this.socket.terminate(), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
      else this.socket.close(code, reason);
    });
  }

  /** Drops the connection at once, without a close handshake (the close code seen is 1006). */
  terminate(): void {
    this.socket.terminate();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
