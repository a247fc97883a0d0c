import { WebSocket } from 'ws';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { CallSignal } from '../../../core/call-signal.js';
import { ConnectorError } from '../../../core/errors.js';
import type { CallContext } from '../../../core/middleware.js';
import type { Redactor } from '../../../observability/redact.js';
import { abortError } from '../../../policies/sleep.js';
import { toNetworkError } from '../../rest/network-errors.js';
import type { GraphQLSocketCall, OpenedSocket } from '../call.js';

/**
 * How subscription sockets are opened, fixed per connector at construction.
 *
 * @example
 * ```ts
 * import { Redactor, type SocketOptions } from 'ia-connectors';
 * const o: SocketOptions = { headers: { 'user-agent': 'ia-connectors' }, maxPayload: 1_048_576, connectTimeout: 10_000, tls: { rejectUnauthorized: true }, redactor: new Redactor() };
 * ```
 */
export interface SocketOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly maxPayload: number;
  readonly connectTimeout: number;
  readonly tls: { readonly rejectUnauthorized: boolean; readonly ca?: string | string[] | undefined; readonly servername?: string | undefined };
  readonly redactor: Redactor;
}

/**
 * The chain's terminal for a socket call: opens a WebSocket with the
 * `graphql-transport-ws` subprotocol, the credentials in the handshake (headers, and
 * query parameters in the URL), and resolves once the upgrade succeeded. A refused
 * upgrade is a `WEBSOCKET` error carrying the HTTP status (so 401 renews credentials
 * and 503 is retried); a socket error is mapped like REST's (`CONNECTION_REFUSED`,
 * `TLS`, ...). The connection_init/ack exchange follows in graphql-ws.
 *
 * @example
 * ```ts
 * import { openSocket, Redactor } from 'ia-connectors';
 * const ctx = { connector: 'shop', request: { kind: 'socket' as const, url: 'ws://127.0.0.1:4000/graphql' }, signal: undefined, attempt: 1, deadline: undefined, startedAt: performance.now() };
 * const { socket } = await openSocket(ctx, { headers: {}, maxPayload: 1_048_576, connectTimeout: 5000, tls: { rejectUnauthorized: true }, redactor: new Redactor() });
 * ```
 */
export function openSocket(ctx: CallContext<GraphQLSocketCall>, options: SocketOptions): Promise<OpenedSocket> {
  const { request, signal } = ctx;
  const credentials = request.credentials;
  const url = withQuery(request.url, credentials?.query);
  const shown = options.redactor.url(url);
  if (signal?.aborted) return Promise.reject(abortError(signal, `opening ${shown}`));
  return new Promise<OpenedSocket>((resolve, reject) => {
    let settled = false;
    const socket = new WebSocket(url, GRAPHQL_TRANSPORT_WS_PROTOCOL, {
      headers: { ...options.headers, ...request.headers, ...credentials?.headers },
      maxPayload: options.maxPayload,
      handshakeTimeout: options.connectTimeout,
      perMessageDeflate: false,
      rejectUnauthorized: options.tls.rejectUnauthorized,
      ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
      ...(options.tls.servername === undefined ? {} : { servername: options.tls.servername }),
    });
    const fail = (error: ConnectorError): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.terminate();
      reject(error);
    };
    const onAbort = (): void => fail(abortError(signal as CallSignal, `opening ${shown}`));
    signal?.addEventListener('abort', onAbort, { once: true });
    // Kept after settling: ws may still report the aborted handshake, and an unheard 'error' would crash the process.
    socket.on('error', (error) => fail(socketError(error, ctx, shown)));
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      fail(upgradeRefused(res.statusCode ?? 0, shown, ctx.connector, res.headers['retry-after']));
    });
    socket.once('open', () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.removeAllListeners('unexpected-response');
      // Whoever adopts the socket adds its own listener; this one keeps a late error from crashing meanwhile.
      socket.on('error', ignore);
      resolve({ kind: 'socket', socket, credentials });
    });
  });
}

function withQuery(url: string, query: Readonly<Record<string, string>> | undefined): string {
  if (!query || Object.keys(query).length === 0) return url;
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(query)) parsed.searchParams.set(name, value);
  return parsed.href;
}

function upgradeRefused(status: number, url: string, connector: string, retryAfter: string | string[] | undefined): ConnectorError {
  const hint =
    status === 401 || status === 403
      ? 'check the connector auth settings'
      : status === 404
        ? 'check subscriptions.url; the server may not serve GraphQL subscriptions there'
        : status >= 500
          ? 'the server failed; it is retried like any call'
          : 'check subscriptions.url';
  const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return new ConnectorError('WEBSOCKET', `the WebSocket upgrade to ${url} was refused with status ${status}; ${hint}`, {
    retryable: status === 408 || status === 429 || status >= 500,
    details: { status, url, connector, ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}) },
  });
}

function socketError(error: Error, ctx: CallContext<GraphQLSocketCall>, url: string): ConnectorError {
  if (/no subprotocol|invalid subprotocol/i.test(error.message)) {
    return new ConnectorError('WEBSOCKET', `${url} did not accept the graphql-transport-ws subprotocol; the server speaks another protocol (legacy subscriptions-transport-ws is not supported)`, {
      retryable: false,
      details: { url, connector: ctx.connector },
    });
  }
  if (/handshake has timed out/i.test(error.message)) {
    return new ConnectorError('CONNECT_TIMEOUT', `opening the WebSocket to ${url} timed out; check the host is reachable, or raise timeout.connect`, {
      cause: error,
      details: { url, connector: ctx.connector },
    });
  }
  return toNetworkError(error, { connector: ctx.connector, method: 'GET', url }, ctx.signal, 'request');
}

function ignore(): void {}
