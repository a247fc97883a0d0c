import { hostOf, systemErrorCode } from '../../core/system-error.js';
import { ConnectorError, isConnectorError, type ConnectorErrorDetails } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { CallSignal } from '../../core/call-signal.js';

const TLS_CODE = /CERT|SSL|TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/**
 * Turns whatever undici or the socket threw into a {@link ConnectorError} whose message
 * says what to check. An abort becomes the signal's own reason when that is a
 * `ConnectorError` (a timeout), `ABORTED` otherwise.
 *
 * @example
 * ```ts
 * import { toNetworkError } from 'ia-connectors';
 * const err = toNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), { connector: 'a', method: 'GET', url: 'http://127.0.0.1:1/' }, undefined, 'request');
 * err.code; // 'CONNECTION_REFUSED'
 * ```
 */
export function toNetworkError(
  error: unknown,
  details: ConnectorErrorDetails & { url: string },
  signal: CallSignal | undefined,
  phase: 'request' | 'body',
): ConnectorError {
  if (isConnectorError(error)) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (isConnectorError(reason)) return reason;
    return new ConnectorError('ABORTED', `${describe(details)} was aborted by the caller's AbortSignal`, { cause: error, details });
  }
  const code = systemErrorCode(error);
  const host = hostOf(details.url);
  const full = { ...details, phase, ...(code ? { systemCode: code } : {}) };
  const make = (c: ErrorCode, message: string): ConnectorError => new ConnectorError(c, message, { cause: error, details: full });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return make('CONNECT_TIMEOUT', `connecting to ${host} timed out; check the host is reachable, or raise timeout.connect`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return make('HEADERS_TIMEOUT', `${describe(details)} got no response headers in time; the server is slow, raise timeout.headers if that is expected`);
    case 'UND_ERR_BODY_TIMEOUT':
      return make('BODY_TIMEOUT', `${describe(details)}: the response body stalled; raise timeout.bodyIdle if the server streams slowly`);
    case 'UND_ERR_INVALID_ARG':
      return make('INVALID_REQUEST', `${describe(details)} is malformed: ${messageOf(error)}; check header names and values (no line breaks)`);
    case 'ECONNREFUSED':
      return make('CONNECTION_REFUSED', `connection refused by ${host}; check that the service is running and that the host and port in baseUrl are right`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return make('DNS', `host "${new URL(details.url).hostname}" could not be resolved; check the spelling of the host in baseUrl`);
  }
  if (code && TLS_CODE.test(code)) {
    return make(
      'TLS',
      `TLS handshake with ${host} failed (${code}); if the server uses a private CA, add it with tls.ca (verification stays on)`,
    );
  }
  const what = phase === 'body' ? 'while reading the response body' : 'before a response arrived';
  return make('NETWORK', `${describe(details)}: the connection failed ${what} (${code ?? messageOf(error)}); the server may have closed it`);
}

function describe(details: ConnectorErrorDetails & { url: string }): string {
  return `${details.method ?? 'request'} ${details.url}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
