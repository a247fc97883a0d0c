import { CancelSignal } from '../../core/call-signal.js';
import { ConnectorError } from '../../core/errors.js';
import type { WebSocketChannel } from './channel.js';
import { closeError } from './errors.js';
import { Heartbeat } from './heartbeat.js';
import type { LinkHost } from './link-host.js';
import { PongWaiters } from './pong-waiters.js';
import { isFinalSocketError, reconnect } from './reconnect.js';
import { flushQueue } from './send-queue.js';
import type { SocketState, WebSocketMessage, WireFrame } from './types.js';

/**
 * The connector's one live socket: opens it through the chain, keeps it alive with
 * a heartbeat, reopens it after a drop, queues sends while it is down and flushes
 * them in order, and routes incoming frames through the filters to waiting
 * requests or the inbox.
 *
 * @example
 * ```ts
 * import { SocketLink } from './link.js';
 * import type { LinkHost } from './link-host.js';
 * declare const host: LinkHost;
 * const link = new SocketLink(host);
 * await link.open();
 * link.write('{"type":"hello"}');
 * ```
 */
export class SocketLink {
  #state: SocketState = 'idle';
  #channel: WebSocketChannel | undefined;
  #life = new CancelSignal();
  #opening: Promise<void> | undefined;
  #closedByUser = false;
  #reconnects = 0;
  #heartbeat: Heartbeat | undefined;
  #deadPeer = false;
  #dropped: unknown;
  readonly #pongs = new PongWaiters();

  constructor(private readonly host: LinkHost) {}

  get state(): SocketState {
    return this.#state;
  }

  /** Opens the socket, or joins the open or reopen in progress. */
  open(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#opening) return this.#opening;
    if (this.#state === 'closing') return Promise.reject(this.#closedError());
    if (this.#closedByUser || this.#life.aborted) {
      this.#closedByUser = false;
      this.#life = new CancelSignal();
      this.host.inbox.reopen();
    }
    return this.#track(this.#openFirst());
  }

  /** Writes `frame` now (`undefined`), or queues it until the socket is open (a promise). */
  write(frame: WireFrame, correlationId?: number | string): Promise<void> | undefined {
    const channel = this.#channel;
    if (this.#state === 'open' && channel?.isOpen) {
      channel.send(frame);
      if (correlationId !== undefined) this.host.pending.markSent(correlationId);
      return undefined;
    }
    if (this.#closedByUser) return Promise.reject(this.#closedError());
    return new Promise((resolve, reject) => {
      if (!this.host.queue.push({ frame, resolve, reject, correlationId })) {
        const { connector, queue } = this.host;
        const message = `connector "${connector}" already has ${queue.size} messages waiting for the socket to open (sendQueue.size); wait for the socketOpen event, or raise sendQueue.size`;
        reject(new ConnectorError('QUEUE_FULL', message, { details: { connector, size: queue.size } }));
        return;
      }
      if (this.#state === 'idle' || this.#state === 'closed') this.host.reopen().catch(() => undefined);
    });
  }

  /** Writes `frame` on `channel` directly, ahead of the queue (for `onReconnect` hooks). */
  writeOn(channel: WebSocketChannel, frame: WireFrame, correlationId?: number | string): void {
    if (channel !== this.#channel || !channel.isOpen) {
      throw new ConnectorError('WEBSOCKET', `the socket of connector "${this.host.connector}" closed during onReconnect`, { details: { connector: this.host.connector } });
    }
    channel.send(frame);
    if (correlationId !== undefined) this.host.pending.markSent(correlationId);
  }

  /** Fails what waits for a socket that could not even start opening (e.g. a secret did not resolve). */
  abandon(error: unknown): void {
    if (this.#state === 'idle' || this.#state === 'closed') this.#fail(error);
  }

  /** Sends a ping and resolves with the round-trip time when the pong comes back. */
  ping(timeoutMs: number): Promise<number> {
    const channel = this.#channel;
    if (!channel?.isOpen) {
      return Promise.reject(new ConnectorError('WEBSOCKET', `the socket of connector "${this.host.connector}" is ${this.#state}, not open`, { details: { connector: this.host.connector } }));
    }
    return this.#pongs.wait(() => channel.ping(), timeoutMs, this.host.connector);
  }

  /** Closes with `code` and `reason` and stops reopening; everything waiting fails with `NOT_CONNECTED`. */
  async close(code: number, reason: string): Promise<void> {
    if (this.#closedByUser && (this.#state === 'closed' || this.#state === 'idle')) return;
    this.#closedByUser = true;
    const error = this.#closedError();
    this.#setState(this.#state === 'idle' ? 'closed' : 'closing');
    this.#life.abort(error);
    this.#heartbeat?.stop();
    this.host.queue.failAll(error);
    this.host.pending.failSent(error, true);
    this.host.inbox.end();
    const channel = this.#channel;
    if (channel) await channel.close(code, reason, this.host.config.closeTimeout);
    this.#channel = undefined;
    this.#setState('closed');
  }

  async #openFirst(): Promise<void> {
    this.#setState('connecting');
    let channel: WebSocketChannel;
    try {
      channel = await this.host.openSocket(0, this.#life);
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    const dropped = await this.#resume(channel, false);
    if (dropped !== undefined && this.#closedByUser) throw dropped;
  }

  /** Takes `channel` over: heartbeat, hooks (on a reopen), queue flush; the error that dropped it, or `undefined` when live. */
  async #resume(channel: WebSocketChannel, reopened = true): Promise<unknown> {
    if (this.#closedByUser) {
      await channel.close(1000, '', this.host.config.closeTimeout);
      return this.#closedError();
    }
    this.#adopt(channel);
    if (this.#channel !== channel) return this.#dropped;
    if (reopened) {
      try {
        await this.host.resume(channel, this.#reconnects);
      } catch (error) {
        this.host.report.error(error);
        // Whatever the hook threw, the next round may succeed: the loop must not take it as final.
        const failed = new ConnectorError('WEBSOCKET', `an onReconnect hook of connector "${this.host.connector}" failed: ${this.host.redactor.message(error)}`, {
          cause: error,
          retryable: true,
          details: { connector: this.host.connector },
        });
        if (this.#channel === channel) this.#release(channel, failed);
        return this.#dropped ?? failed;
      }
    }
    if (this.#channel !== channel || !flushQueue(this.host.queue, this.host.pending, channel)) return this.#dropped ?? this.#closingError(channel);
    this.#setState('open');
    return undefined;
  }

  #adopt(channel: WebSocketChannel): void {
    this.#channel = channel;
    this.#dropped = undefined;
    this.#deadPeer = false;
    channel.attach({
      message: (data, binary) => this.#receive(data, binary),
      close: (code, reason, byClient) => this.#onClose(channel, code, reason, byClient),
      pong: () => {
        this.#heartbeat?.pong();
        this.#pongs.pong();
      },
      dropped: (count) => this.host.report.dropped('buffer_full', count),
    });
    if (this.#channel !== channel) return;
    const { heartbeat } = this.host.config;
    if (heartbeat !== false) {
      this.#heartbeat ??= new Heartbeat(heartbeat, () => this.#channel?.ping(), () => this.#killDeadPeer());
      this.#heartbeat.start();
    }
    this.host.report.open(channel.url, channel.protocol, this.#reconnects);
  }

  /** Lets go of a socket that failed its `onReconnect` hooks; its close event is then ignored. */
  #release(channel: WebSocketChannel, error: unknown): void {
    this.#channel = undefined;
    this.#heartbeat?.stop();
    this.host.pending.failSent(error);
    void channel.close(4000, 'onReconnect failed', this.host.config.closeTimeout);
  }

  #receive(data: Buffer, binary: boolean): void {
    const raw: WebSocketMessage = binary ? { type: 'binary', data } : { type: 'text', data: data.toString('utf8') };
    let message: WebSocketMessage | undefined;
    try {
      message = this.host.filters.receive(raw);
    } catch (error) {
      this.host.report.error(error);
      return;
    }
    if (message !== undefined) this.host.inbox.push(message);
  }

  #onClose(channel: WebSocketChannel, code: number, rawReason: string, byClient: boolean): void {
    if (channel !== this.#channel) return;
    this.#heartbeat?.stop();
    const { connector, config, redactor, report } = this.host;
    const reason = this.#deadPeer && config.heartbeat !== false ? `no pong within ${config.heartbeat.timeout} ms` : redactor.text(rawReason);
    if (this.#closedByUser) {
      report.close({ code, reason, byClient: true, reconnect: false });
      return;
    }
    this.#channel = undefined;
    const error = closeError(code, reason, { connector, url: channel.url });
    this.host.pending.failSent(error);
    const again = config.reconnect !== false && !isFinalSocketError(error);
    report.close({ code, reason, byClient, reconnect: again });
    this.#dropped = error;
    // Inside a reconnect round the loop decides what comes next.
    if (this.#state === 'reconnecting') return;
    if (!again) {
      this.#fail(error);
      return;
    }
    this.#setState('reconnecting');
    this.#track(this.#reconnect(error));
  }

  async #reconnect(dropped: ConnectorError): Promise<void> {
    const settings = this.host.config.reconnect;
    if (settings === false) throw dropped;
    try {
      await reconnect(
        {
          connector: this.host.connector,
          url: this.host.url,
          settings,
          signal: this.#life,
          open: () => this.host.openSocket(++this.#reconnects, this.#life),
          resume: (channel) => this.#resume(channel),
          onWait: (attempt, delayMs, reason) => this.host.report.reconnecting(attempt, delayMs, reason),
        },
        dropped,
      );
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  #fail(error: unknown): void {
    if (this.#closedByUser) return;
    this.#setState('closed');
    this.host.queue.failAll(error);
    this.host.pending.failSent(error, true);
    this.host.inbox.interrupt(error);
  }

  #killDeadPeer(): void {
    this.#deadPeer = true;
    this.#channel?.terminate();
  }

  #track(opening: Promise<void>): Promise<void> {
    const tracked = opening.finally(() => {
      if (this.#opening === tracked) this.#opening = undefined;
    });
    this.#opening = tracked;
    tracked.catch(() => undefined);
    return tracked;
  }

  #closingError(channel: WebSocketChannel): ConnectorError {
    return new ConnectorError('WEBSOCKET', `the WebSocket to ${channel.url} closed right after it opened`, { details: { connector: this.host.connector, url: channel.url } });
  }

  #closedError(): ConnectorError {
    return new ConnectorError('NOT_CONNECTED', `connector "${this.host.connector}" is closed; call connect() to open it again`, { details: { connector: this.host.connector } });
  }

  #setState(to: SocketState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.host.report.state(from, to);
  }
}
