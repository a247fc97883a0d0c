import { ConnectorError } from '../../core/errors.js';
import type { Disposable } from '../../core/events.js';
import type { WebSocketChannel } from './channel.js';
import type { WebSocketConnectorConfig } from './config.js';
import type { PendingReplies } from './correlation.js';
import type { FilterChain, SendMeta } from './filters.js';
import type { SocketLink } from './link.js';
import type { MessageWaitOptions, OutgoingMessage, WireFrame } from './types.js';

const NO_META: SendMeta = {};
const SENT = Promise.resolve();

/**
 * What an `onReconnect` hook gets: the reopened socket's number and a `send` and
 * `request` that go out at once, ahead of the messages queued while it was down.
 *
 * @example
 * ```ts
 * import type { ReconnectSession } from 'ia-connectors';
 * const resubscribe = async (s: ReconnectSession) => { s.send({ type: 'subscribe', topic: 'ticker' }); };
 * ```
 */
export interface ReconnectSession {
  /** 1 for the first reopen, 2 for the second, ... */
  readonly reconnect: number;
  send(message: OutgoingMessage): void;
  request<T = unknown>(message: object, options?: MessageWaitOptions): Promise<T>;
}

/**
 * Runs after every reopen, before queued messages are flushed. A hook that throws
 * (or rejects) fails that reopen: the socket is closed and the next round tries again.
 *
 * @example
 * ```ts
 * import type { ReconnectHook } from 'ia-connectors';
 * const hook: ReconnectHook = (session) => session.send({ type: 'subscribe', topic: 'ticker' });
 * ```
 */
export type ReconnectHook = (session: ReconnectSession) => void | Promise<void>;

/**
 * The message side of a WebSocket connector: encodes through the filters, checks
 * `maxPayload`, stamps correlation ids, and runs the `onReconnect` hooks.
 *
 * @example
 * ```ts
 * import type { Messenger } from './messenger.js';
 * declare const messenger: Messenger;
 * await messenger.send({ type: 'ping' });
 * ```
 */
export class Messenger {
  #hooks: ReconnectHook[] = [];

  constructor(
    private readonly connector: string,
    private readonly config: WebSocketConnectorConfig,
    private readonly filters: FilterChain,
    private readonly pending: PendingReplies,
    private readonly link: SocketLink,
  ) {}

  /** Encodes and writes (or queues) one message. */
  send(message: OutgoingMessage): Promise<void> {
    let frame: WireFrame;
    try {
      frame = this.#encode(message, NO_META);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.link.write(frame) ?? SENT;
  }

  /** Sends `message` stamped with a correlation id and waits for the reply carrying it. */
  request<T>(message: object, options: MessageWaitOptions): Promise<T> {
    return this.#request<T>(message, options, undefined);
  }

  /** Adds a hook run after each reopen; dispose the handle to remove it. */
  onReconnect(hook: ReconnectHook): Disposable {
    if (typeof hook !== 'function') throw new ConnectorError('INVALID_REQUEST', 'onReconnect needs a function (session) => void | Promise<void>');
    this.#hooks = [...this.#hooks, hook];
    const dispose = (): void => {
      this.#hooks = this.#hooks.filter((h) => h !== hook);
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  /** Runs every hook, in the order added, on a freshly reopened `channel`. */
  async resume(channel: WebSocketChannel, reconnect: number): Promise<void> {
    if (this.#hooks.length === 0) return;
    const session: ReconnectSession = {
      reconnect,
      send: (message) => this.link.writeOn(channel, this.#encode(message, NO_META)),
      request: <T>(message: object, options: MessageWaitOptions = {}) => this.#request<T>(message, options, channel),
    };
    for (const hook of this.#hooks) await hook(session);
  }

  /** Sends a request through the queue, or straight on `channel` (a hook, ahead of the queue). */
  #request<T>(message: object, options: MessageWaitOptions, channel: WebSocketChannel | undefined): Promise<T> {
    const field = this.pending.field;
    if (typeof message !== 'object' || message === null || Array.isArray(message) || ArrayBuffer.isView(message) || message instanceof ArrayBuffer) {
      const got = Array.isArray(message) ? 'an array' : message === null ? 'null' : typeof message;
      return Promise.reject(new ConnectorError('INVALID_REQUEST', `request() needs a JSON object to carry the correlation field "${field}"; got ${got}. Use send() for other messages`));
    }
    const timeout = options.timeout ?? this.config.correlation.timeout;
    if (!(timeout > 0) || !Number.isFinite(timeout)) {
      return Promise.reject(new ConnectorError('INVALID_REQUEST', `timeout: must be a positive number of milliseconds, got ${options.timeout}`));
    }
    const own = (message as Record<string, unknown>)[field];
    const given = typeof own === 'string' || typeof own === 'number';
    const id = given ? own : this.pending.nextId();
    if ((given || !this.pending.uniqueIds) && this.pending.has(id)) {
      return Promise.reject(new ConnectorError('INVALID_REQUEST', `a request with ${field} ${String(id)} is already waiting for its reply; give each request its own ${field}`));
    }
    let frame: WireFrame;
    try {
      frame = this.#encode(message, { correlationId: id });
    } catch (error) {
      return Promise.reject(error);
    }
    const reply = this.pending.wait(id, timeout, options.signal, this.connector) as Promise<T>;
    if (channel) {
      try {
        this.link.writeOn(channel, frame, id);
      } catch (error) {
        this.pending.fail(id, error);
      }
    } else {
      this.link.write(frame, id)?.catch((error: unknown) => this.pending.fail(id, error));
    }
    return reply;
  }

  #encode(message: unknown, meta: SendMeta): WireFrame {
    const frame = this.filters.send(message, meta);
    const max = this.config.maxPayload;
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit: count bytes only when the bound is in doubt.
    const bytes = typeof frame === 'string' ? (frame.length * 3 <= max ? 0 : Buffer.byteLength(frame)) : frame.byteLength;
    if (bytes > max) {
      throw new ConnectorError('MESSAGE_TOO_LARGE', `the message is ${bytes} bytes, more than maxPayload (${max} bytes) of connector "${this.connector}"; split it or raise maxPayload`, {
        details: { connector: this.connector, bytes, maxPayload: max },
      });
    }
    return frame;
  }
}
