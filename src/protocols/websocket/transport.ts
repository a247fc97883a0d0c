import { WebSocket, type ClientOptions } from 'ws';
import type { ConnectorEvents } from '../../core/connector-events.js';
import { ConnectorError } from '../../core/errors.js';
import type { TypedEvents } from '../../core/events.js';
import type { CallContext } from '../../core/middleware.js';
import type { Transport } from '../../core/transport.js';
import type { Redactor } from '../../observability/redact.js';
import { abortError } from '../../policies/sleep.js';
import { WebSocketChannel } from './channel.js';
import { classifyWebSocketOpen } from './classify.js';
import type { WebSocketConnectorConfig } from './config.js';
import { closeError, handshakeError, openError } from './errors.js';
import type { WebSocketOpenRequest } from './types.js';
import { withQuery } from './url.js';

/**
 * Socket I/O for the WebSocket connector: one `send` is one attempt at opening a
 * socket with `ws` (handshake headers, subprotocols, `maxPayload`, optional
 * permessage-deflate, TLS verification on), resolving with the open
 * {@link WebSocketChannel}. Messages never pass through here.
 *
 * @example
 * ```ts
 * import { WebSocketTransport, websocketConnectorConfigSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const cfg = websocketConnectorConfigSchema.parse({ name: 'feed', protocol: 'websocket', baseUrl: 'ws://127.0.0.1:8080' });
 * const transport = new WebSocketTransport(cfg, new TypedEvents(), new Redactor());
 * ```
 */
export class WebSocketTransport implements Transport<WebSocketOpenRequest, WebSocketChannel> {
  readonly #live = new Set<WebSocket>();
  readonly #options: ClientOptions;

  constructor(
    config: WebSocketConnectorConfig,
    private readonly events: TypedEvents<ConnectorEvents>,
    private readonly redactor: Redactor,
  ) {
    const { tls } = config;
    this.#options = {
      handshakeTimeout: config.timeout.connect,
      maxPayload: config.maxPayload,
      perMessageDeflate: config.perMessageDeflate,
      followRedirects: false,
      autoPong: true,
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    };
  }

  async open(): Promise<void> {}

  /** Drops every socket this transport opened that is still open. */
  async close(): Promise<void> {
    for (const socket of this.#live) socket.terminate();
    this.#live.clear();
  }

  readonly classify = classifyWebSocketOpen;

  readonly send = (ctx: CallContext<WebSocketOpenRequest>): Promise<WebSocketChannel> => {
    const request = ctx.request;
    const url = withQuery(request.url, request.query);
    const shown = this.redactor.url(url);
    const details = { connector: ctx.connector, url: shown, attempt: ctx.attempt };
    const signal = ctx.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal, `opening the WebSocket to ${shown}`));
    if (this.events.has('request')) this.events.emit('request', { connector: ctx.connector, attempt: ctx.attempt, method: 'GET', url: shown });
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, [...request.protocols], { ...this.#options, headers: { ...request.headers } });
    } catch (error) {
      const why = this.redactor.message(error);
      return Promise.reject(new ConnectorError('CONFIG', `cannot open a WebSocket to ${shown}: ${why}; check baseUrl, endpoint and subprotocols`, { details }));
    }
    this.#live.add(socket);
    socket.once('close', () => this.#live.delete(socket));
    const started = performance.now();
    return new Promise<WebSocketChannel>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        fail(abortError(signal as NonNullable<typeof signal>, `opening the WebSocket to ${shown}`));
        socket.terminate();
      };
      const fail = (error: ConnectorError): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      // Stays after the open: any later socket error is followed by 'close', which the channel reports.
      socket.on('error', (error) => fail(openError(error, details)));
      socket.once('unexpected-response', (_req, res) => {
        fail(handshakeError(res.statusCode ?? 0, res.headers, details));
        socket.terminate();
      });
      socket.once('close', (code: number, reason: Buffer) => fail(closeError(code, this.redactor.text(reason.toString('utf8')), details)));
      socket.once('open', () => {
        if (settled) {
          socket.terminate();
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        const channel = new WebSocketChannel(socket, shown);
        for (const frame of request.firstMessages ?? []) channel.send(frame);
        if (this.events.has('response')) {
          const durationMs = performance.now() - started;
          this.events.emit('response', { connector: ctx.connector, attempt: ctx.attempt, method: 'GET', url: shown, status: 101, durationMs });
        }
        resolve(channel);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
}
