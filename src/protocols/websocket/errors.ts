import { hostOf, systemErrorCode } from '../../core/system-error.js';
import type { IncomingHttpHeaders } from 'node:http';
import { ConnectorError, isConnectorError, type ConnectorErrorDetails } from '../../core/errors.js';
import { retryAfterMs } from '../rest/retry-after.js';

const TLS_CODE = /CERT|SSL|TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Close codes after which reopening the same socket cannot help: the peer refuses what we send. */
const FINAL_CLOSE_CODES = new Set([1002, 1003, 1007, 1008, 1009, 1010]);
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

const CLOSE_MEANING: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status code',
  1006: 'abnormal closure, no close frame',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'missing extension',
  1011: 'internal server error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  4401: 'unauthorized',
  4403: 'forbidden',
};

/**
 * What a close code means in words, e.g. `1006 (abnormal closure, no close frame)`.
 *
 * @example
 * ```ts
 * import { describeCloseCode } from 'ia-connectors';
 * describeCloseCode(1001); // '1001 (going away)'
 * ```
 */
export function describeCloseCode(code: number): string {
  const meaning = CLOSE_MEANING[code] ?? (code >= 4000 && code <= 4999 ? 'application-defined' : undefined);
  return meaning === undefined ? String(code) : `${code} (${meaning})`;
}

/**
 * The error for a socket that closed: `AUTH` for 4401/4403 (never reopened),
 * `MESSAGE_TOO_LARGE` for 1009, a non-retryable `WEBSOCKET` for codes that will
 * recur (1002, 1003, 1007, 1008, 1010), a
 * retryable `WEBSOCKET` otherwise. `details.closeCode` and `details.closeReason` are set.
 *
 * @example
 * ```ts
 * import { closeError } from 'ia-connectors';
 * closeError(1006, '', { connector: 'feed', url: 'ws://127.0.0.1:8080/ws' }).retryable; // true
 * ```
 */
export function closeError(code: number, reason: string, details: ConnectorErrorDetails & { url: string }): ConnectorError {
  const full = { ...details, closeCode: code, closeReason: reason };
  const said = reason === '' ? '' : `: "${reason}"`;
  if (AUTH_CLOSE_CODES.has(code)) {
    return new ConnectorError('AUTH', `the server at ${details.url} closed the socket with ${describeCloseCode(code)}${said}; check the credentials in auth`, {
      details: full,
    });
  }
  if (code === 1009) {
    return new ConnectorError('MESSAGE_TOO_LARGE', `the WebSocket to ${details.url} closed with ${describeCloseCode(code)}${said}; a message exceeded maxPayload, raise it on the side that refused`, {
      details: full,
    });
  }
  const final = FINAL_CLOSE_CODES.has(code);
  const hint = final ? 'the server refuses what was sent; fix the messages or the settings before reconnecting' : 'it will be reopened if reconnect is on';
  return new ConnectorError('WEBSOCKET', `the WebSocket to ${details.url} closed with ${describeCloseCode(code)}${said}; ${hint}`, {
    retryable: !final,
    details: full,
  });
}

/**
 * The error for a handshake the server answered with an HTTP status instead of
 * switching protocols: 401/403 are `AUTH`; 408, 429 and 5xx are retryable
 * `WEBSOCKET` errors carrying the server's Retry-After; any other status is final.
 *
 * @example
 * ```ts
 * import { handshakeError } from 'ia-connectors';
 * handshakeError(401, {}, { connector: 'feed', url: 'ws://127.0.0.1:8080/ws' }).code; // 'AUTH'
 * ```
 */
export function handshakeError(status: number, headers: IncomingHttpHeaders, details: ConnectorErrorDetails & { url: string }): ConnectorError {
  const full = { ...details, status };
  if (status === 401 || status === 403) {
    return new ConnectorError('AUTH', `the server at ${details.url} refused the WebSocket handshake with ${status}; check the credentials in auth and authIn`, {
      details: full,
    });
  }
  const retryable = RETRYABLE_STATUS.has(status);
  const wait = retryable ? retryAfterMs(headers) : undefined;
  const hint =
    status >= 300 && status < 400
      ? 'redirects are not followed; point baseUrl and endpoint at the final address'
      : status === 404
        ? 'check endpoint and the base URL path'
        : retryable
          ? 'the server is busy or failing; it will be retried'
          : 'the server does not accept this handshake';
  return new ConnectorError('WEBSOCKET', `the server at ${details.url} answered the WebSocket handshake with ${status} instead of 101; ${hint}`, {
    retryable,
    details: wait === undefined ? full : { ...full, retryAfterMs: wait },
  });
}

/**
 * Turns what `ws` or the socket threw while opening into a {@link ConnectorError}
 * whose message says what to check.
 *
 * @example
 * ```ts
 * import { openError } from 'ia-connectors';
 * openError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), { connector: 'feed', url: 'ws://127.0.0.1:1/' }).code; // 'CONNECTION_REFUSED'
 * ```
 */
export function openError(error: unknown, details: ConnectorErrorDetails & { url: string }): ConnectorError {
  if (isConnectorError(error)) return error;
  const code = systemErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const host = hostOf(details.url);
  const full = { ...details, ...(code ? { systemCode: code } : {}) };
  const make = (c: 'CONNECTION_REFUSED' | 'DNS' | 'TLS' | 'CONNECT_TIMEOUT' | 'NETWORK' | 'WEBSOCKET', text: string, retryable?: boolean): ConnectorError =>
    new ConnectorError(c, text, { cause: error, details: full, ...(retryable === undefined ? {} : { retryable }) });
  if (code === 'ECONNREFUSED') return make('CONNECTION_REFUSED', `connection refused by ${host}; check that the service is running and that the host and port in baseUrl are right`);
  if (code && DNS_CODES.has(code)) return make('DNS', `host "${new URL(details.url).hostname}" could not be resolved; check the spelling of the host in baseUrl`);
  if (code && TLS_CODE.test(code)) {
    return make('TLS', `TLS handshake with ${host} failed (${code}); if the server uses a private CA, add it with tls.ca (verification stays on)`);
  }
  if (message.includes('handshake has timed out')) return make('CONNECT_TIMEOUT', `opening the WebSocket to ${details.url} timed out; check the host is reachable, or raise timeout.connect`);
  if (/subprotocol/i.test(message)) {
    return make('WEBSOCKET', `the server at ${details.url} did not agree on a subprotocol (${message}); check subprotocols`, false);
  }
  return make('NETWORK', `opening the WebSocket to ${details.url} failed (${code ?? message}); the server may have closed the connection`);
}

