import { inspect } from 'node:util';
import type { CancelSignal } from '../../core/call-signal.js';
import type { ChainLayer } from '../../core/chain.js';
import { BaseConnector } from '../../core/connector.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import { TypedEvents, type Disposable } from '../../core/events.js';
import type { HealthStatus } from '../../core/transport.js';
import type { ConnectorEvents } from '../../core/connector-events.js';
import { createAuthStrategy, unauthorizedStatuses } from '../../auth/create-strategy.js';
import { observerLayers } from '../../observability/layers/observer-layers.js';
import type { Observer } from '../../observability/observer.js';
import { websocketObservation } from '../../observability/protocols/websocket.js';
import { Redactor } from '../../observability/redact.js';
import { policyLayers } from '../../policies/layers.js';
import { websocketAuthLayer } from './auth.js';
import type { WebSocketChannel } from './channel.js';
import { classifyWebSocketOpen } from './classify.js';
import type { WebSocketConnectorConfig } from './config.js';
import { correlationFilter, PendingReplies } from './correlation.js';
import type { WebSocketConnectorEvents } from './events.js';
import { FilterChain, jsonCodecFilter, type MessageFilter } from './filters.js';
import { Inbox } from './inbox.js';
import { LinkReporter } from './link-reporter.js';
import { SocketLink } from './link.js';
import { websocketMessageHookOf, type WebSocketMessageHook, type WebSocketMessagePaths } from './message-hook.js';
import { Messenger, type ReconnectHook } from './messenger.js';
import { SendQueue } from './send-queue.js';
import { WebSocketTransport } from './transport.js';
import { MessageStream } from './stream.js';
import type { MessageWaitOptions, OutgoingMessage, SocketState, WebSocketMessage, WebSocketOpenRequest } from './types.js';
import { socketUrl } from './url.js';
import { withDeadline } from './with-deadline.js';

const BRAND = Symbol.for('ia-connectors.WebSocketConnector');

/**
 * Extra pieces a WebSocket connector can be built with, in code.
 *
 * @example
 * ```ts
 * import type { WebSocketConnectorExtras } from 'ia-connectors';
 * let n = 0;
 * const extras: WebSocketConnectorExtras = { createId: () => `req-${++n}` };
 * ```
 */
export interface WebSocketConnectorExtras {
  /**
   * Your own layers around opening the socket; `custom` layers run inside the policies,
   * outside auth. A layer carrying a `websocketMessageHook` (a cassette layer does) also
   * stands between the message API and the socket (`WebSocketMessageHookLayer`).
   */
  layers?: ChainLayer<WebSocketOpenRequest, WebSocketChannel>[];
  /** Your per-message filters, between correlation and the JSON codec. */
  filters?: MessageFilter[];
  /** Generates correlation ids for `request()` (default: 1, 2, 3, ...). */
  createId?: () => number | string;
  /** Watch every socket opening and reopening (tracing, metrics, logs, the run report); none costs nothing. */
  observers?: readonly Observer[];
}

/**
 * A WebSocket connector on `ws`. Opening the socket goes through the shared policy
 * chain (timeouts, retry, circuit breaker, rate limiter, bulkhead, auth); messages
 * go through per-message filters (correlation, your filters, JSON). It reopens a
 * dropped socket with backoff and jitter, detects a dead peer with ping/pong, queues
 * sends while down (bounded) and flushes them in order, and matches replies to
 * concurrent `request()`s by id.
 *
 * @example
 * ```ts
 * import { createWebSocketConnector } from 'ia-connectors';
 * await using feed = createWebSocketConnector({ name: 'feed', baseUrl: 'ws://127.0.0.1:8080', endpoint: '/ws' });
 * const sum = await feed.request<{ result: number }>({ method: 'add', params: [1, 2] });
 * await feed.send({ type: 'subscribe', topic: 'ticker' });
 * for await (const message of feed.stream()) { console.log(message.data); break; }
 * ```
 */
export class WebSocketConnector extends BaseConnector<WebSocketOpenRequest, WebSocketChannel> {
  readonly config: WebSocketConnectorConfig;
  /** Hides secrets in URLs, headers and text produced by this connector. */
  readonly redactor: Redactor;
  readonly #events: TypedEvents<WebSocketConnectorEvents>;
  readonly #link: SocketLink;
  readonly #inbox: Inbox;
  readonly #queue: SendQueue;
  readonly #pending: PendingReplies;
  readonly #messenger: Messenger;
  readonly #open: WebSocketOpenRequest;
  readonly #hook: WebSocketMessageHook | undefined;
  readonly #paths: WebSocketMessagePaths;
  #closing: Promise<void> | undefined;

  constructor(config: WebSocketConnectorConfig, extras: WebSocketConnectorExtras = {}) {
    const redactor = new Redactor();
    const events = new TypedEvents<WebSocketConnectorEvents>();
    // One emitter for both event maps: the socket events extend the shared ones, so policies and auth emit into it unchanged.
    const shared = events as unknown as TypedEvents<ConnectorEvents>;
    const name = config.name;
    const layers: ChainLayer<WebSocketOpenRequest, WebSocketChannel>[] = [
      ...policyLayers<WebSocketOpenRequest, WebSocketChannel>(config, { connector: name, events: shared, classify: classifyWebSocketOpen }),
      ...(extras.layers ?? []),
      ...observerLayers<WebSocketOpenRequest, WebSocketChannel>(extras.observers, () => websocketObservation({ connector: name, redactor, events: shared })),
    ];
    const strategy = createAuthStrategy(config.auth, { connector: name, redactor, events: shared });
    if (strategy) layers.push(websocketAuthLayer(strategy, config, redactor, unauthorizedStatuses(config.auth)));
    super(name, new WebSocketTransport(config, shared, redactor), layers, shared);
    this.config = config;
    this.redactor = redactor;
    this.#events = events;
    const url = socketUrl(config.baseUrl, config.endpoint).href;
    this.#open = { url, headers: config.headers, protocols: config.subprotocols, reconnect: 0 };
    const report = new LinkReporter(name, events, redactor);
    this.#inbox = new Inbox(name, config.receiveBuffer.size, config.receiveBuffer.overflow, (count) => report.dropped('buffer_full', count));
    this.#queue = new SendQueue(config.sendQueue.size);
    this.#pending = new PendingReplies(config.correlation.field, () => report.dropped('late_reply', 1), extras.createId);
    const filters = new FilterChain([correlationFilter(this.#pending), ...(extras.filters ?? []), jsonCodecFilter(config.format)]);
    this.#link = new SocketLink({
      connector: name,
      url: redactor.url(url),
      config,
      report,
      redactor,
      queue: this.#queue,
      inbox: this.#inbox,
      pending: this.#pending,
      filters,
      reopen: () =>
        this.connect().catch((error: unknown) => {
          this.#link.abandon(error);
          throw error;
        }),
      openSocket: (reconnect, signal) => this.#openSocket(reconnect, signal),
      resume: (channel, reconnect) => this.#messenger.resume(channel, reconnect),
    });
    this.#messenger = new Messenger(name, config, filters, this.#pending, this.#link);
    this.#hook = websocketMessageHookOf(extras.layers);
    this.#paths = {
      send: (message) => this.#messenger.send(message),
      request: (message, options) => this.#messenger.request(message, options),
      deliver: (message) => this.#inbox.push(message),
    };
  }

  /** State of the socket (the connector's own `state` says whether its chain is set up). */
  get socketState(): SocketState {
    return this.#link.state;
  }

  /** Messages waiting in the receive buffer. */
  get buffered(): number {
    return this.#inbox.length;
  }

  /** Messages waiting in the send queue for the socket to open. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Requests waiting for their replies. */
  get pendingRequests(): number {
    return this.#pending.size;
  }

  /** Subscribes to a connector or socket event; dispose the handle to unsubscribe. */
  override on<K extends keyof WebSocketConnectorEvents>(event: K, listener: (payload: WebSocketConnectorEvents[K]) => void): Disposable {
    return this.#events.on(event, listener);
  }

  /** Sets up the chain, then opens the socket (through the chain); joins an open in progress. */
  override async connect(): Promise<void> {
    if (this.#closing) await this.#closing.catch(() => undefined);
    await super.connect();
    if (this.#hook?.live === false) {
      // Answered by the hook: no socket; a buffer ended by an earlier close takes messages again.
      this.#inbox.reopen();
      this.#hook.connected?.(this.#paths);
      return;
    }
    await this.#link.open();
  }

  /** Same as `close()`: a normal closure (1000). */
  override disconnect(): Promise<void> {
    return this.close();
  }

  /**
   * Closes the socket with `code` (1000, or 3000-4999) and `reason`, stops reopening
   * and fails whatever waits with `NOT_CONNECTED`. `connect()` opens it again.
   */
  close(code = 1000, reason = ''): Promise<void> {
    if (code !== 1000 && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
      return Promise.reject(new ConnectorError('INVALID_REQUEST', `close code ${code} cannot be sent by a client; use 1000 or a code from 3000 to 4999`));
    }
    if (Buffer.byteLength(reason) > 123) {
      return Promise.reject(new ConnectorError('INVALID_REQUEST', `the close reason is ${Buffer.byteLength(reason)} bytes; the protocol allows at most 123`));
    }
    this.#closing ??= (async () => {
      try {
        await this.#link.close(code, reason);
      } finally {
        await super.disconnect();
      }
    })().finally(() => {
      this.#closing = undefined;
    });
    return this.#closing;
  }

  /** Sends one message: objects as JSON, strings as text, bytes as binary. Queued (bounded) while the socket is down. */
  send(message: OutgoingMessage): Promise<void> {
    if (this.#isClosed()) return Promise.reject(this.#closedError());
    return this.#hook ? this.#hook.send(message, this.#paths) : this.#messenger.send(message);
  }

  /** Sends `message` with a fresh correlation id and resolves with the reply carrying that id. */
  request<T = unknown>(message: object, options: MessageWaitOptions = {}): Promise<T> {
    if (this.#isClosed()) return Promise.reject(this.#closedError());
    return this.#hook ? (this.#hook.request(message, options, this.#paths) as Promise<T>) : this.#messenger.request<T>(message, options);
  }

  /** The next message no request claimed; waits up to `options.timeout`. */
  async receive<T = unknown>(options: MessageWaitOptions = {}): Promise<WebSocketMessage<T>> {
    if (this.#isClosed()) throw this.#closedError();
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new ConnectorError('INVALID_REQUEST', `timeout: must be a positive number of milliseconds, got ${options.timeout}`);
    }
    const message = await this.#take(options.timeout, options.signal);
    if (message === undefined) throw this.#closedError();
    return message as WebSocketMessage<T>;
  }

  /** Incoming messages no request claimed, as an `AsyncIterable` over the bounded receive buffer. */
  stream<T = unknown>(options: { signal?: AbortSignal } = {}): MessageStream<T> {
    // A stream ends quietly when the connector is closed, however the close and the read interleave.
    return new MessageStream<T>((signal) => (this.#isClosed() ? Promise.resolve(undefined) : this.#take(undefined, signal)), options.signal);
  }

  /** Runs `hook` after every reopen, before queued messages go out: resend subscriptions here. */
  onReconnect(hook: ReconnectHook): Disposable {
    return this.#messenger.onReconnect(hook);
  }

  /** Opens the socket if needed, then measures a ping/pong round trip. Never throws. */
  async healthCheck(): Promise<HealthStatus> {
    const { timeout } = this.config.healthCheck;
    const started = performance.now();
    try {
      await withDeadline(this.connect(), timeout, `connecting within the health check's ${timeout} ms`);
      if (this.#hook?.live === false) return { ok: true, latencyMs: performance.now() - started };
      await this.#link.ping(Math.max(1, timeout - (performance.now() - started)));
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      const { code, message } = isConnectorError(error) ? error : { code: 'WEBSOCKET', message: String(error) };
      return { ok: false, latencyMs: performance.now() - started, error: { code, message: this.redactor.text(message) } };
    }
  }

  /** The config with secrets hidden, for logs and `JSON.stringify`. */
  toJSON(): unknown {
    return this.redactor.value(this.config);
  }

  /** What `console.log` and `util.inspect` show: the redacted config, never a secret. */
  [inspect.custom](): unknown {
    return { name: this.name, state: this.state, socketState: this.socketState, config: this.toJSON() };
  }

  static {
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }

  async #take(timeout: number | undefined, signal: AbortSignal | undefined): Promise<WebSocketMessage | undefined> {
    const state = this.#link.state;
    if (this.#inbox.length === 0 && (state === 'idle' || state === 'closed')) await this.connect();
    const message = await this.#inbox.take(timeout, signal);
    if (message !== undefined) this.#hook?.taken(message);
    return message;
  }

  #openSocket(reconnect: number, signal: CancelSignal): Promise<WebSocketChannel> {
    const handler = this.handler;
    if (!handler) return Promise.reject(this.#closedError());
    const request = reconnect === 0 ? this.#open : { ...this.#open, reconnect };
    return handler({ connector: this.name, request, signal, attempt: 1, deadline: undefined, startedAt: performance.now() });
  }

  #isClosed(): boolean {
    return this.#closing !== undefined || this.state === 'closed' || this.state === 'disconnecting';
  }

  #closedError(): ConnectorError {
    return new ConnectorError('NOT_CONNECTED', `connector "${this.name}" is closed; call connect() to open it again`, { details: { connector: this.name } });
  }
}

/**
 * True when `value` is a {@link WebSocketConnector}, also across duplicated copies of
 * the package (a global symbol brand, not `instanceof`).
 *
 * @example
 * ```ts
 * import { isWebSocketConnector } from 'ia-connectors';
 * declare const connector: unknown;
 * if (isWebSocketConnector(connector)) await connector.send({ type: 'ping' });
 * ```
 */
export function isWebSocketConnector(value: unknown): value is WebSocketConnector {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
