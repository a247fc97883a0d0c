import { isConnectorError } from '../../core/errors.js';
import type { TypedEvents } from '../../core/events.js';
import type { Redactor } from '../../observability/redact.js';
import type { WebSocketConnectorEvents, WebSocketEvents } from './events.js';
import type { SocketState } from './types.js';

/**
 * Emits a socket's events for one connector; each payload is built only when
 * someone listens, and errors are redacted first.
 *
 * @example
 * ```ts
 * import { Redactor, TypedEvents, type WebSocketConnectorEvents } from 'ia-connectors';
 * import { LinkReporter } from './link-reporter.js';
 * const report = new LinkReporter('feed', new TypedEvents<WebSocketConnectorEvents>(), new Redactor());
 * report.state('idle', 'connecting');
 * ```
 */
export class LinkReporter {
  constructor(
    private readonly connector: string,
    private readonly events: TypedEvents<WebSocketConnectorEvents>,
    private readonly redactor: Redactor,
  ) {}

  state(from: SocketState, to: SocketState): void {
    if (this.events.has('socketState')) this.events.emit('socketState', { connector: this.connector, from, to });
  }

  open(url: string, protocol: string, reconnect: number): void {
    if (this.events.has('socketOpen')) this.events.emit('socketOpen', { connector: this.connector, url, protocol, reconnect });
  }

  close(payload: Omit<WebSocketEvents['socketClose'], 'connector'>): void {
    if (this.events.has('socketClose')) this.events.emit('socketClose', { connector: this.connector, ...payload });
  }

  reconnecting(attempt: number, delayMs: number, reason: string): void {
    if (this.events.has('reconnecting')) this.events.emit('reconnecting', { connector: this.connector, attempt, delayMs, reason });
  }

  dropped(reason: WebSocketEvents['messageDropped']['reason'], count: number): void {
    if (this.events.has('messageDropped')) this.events.emit('messageDropped', { connector: this.connector, reason, count });
  }

  error(error: unknown): void {
    if (!this.events.has('socketError')) return;
    const code = isConnectorError(error) ? error.code : 'WEBSOCKET';
    this.events.emit('socketError', { connector: this.connector, error: { code, message: this.redactor.message(error) } });
  }
}
