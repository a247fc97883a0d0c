import type { Metadata } from '@grpc/grpc-js';
import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError, isConnectorError, type ConnectorErrorDetails } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { Redactor } from '../../observability/redact.js';
import { metadataRecord } from './metadata.js';
import { Code, grpcStatusName, STATUS_HINTS } from './status-codes.js';

/**
 * What an error about one call names: the connector, the method path, the address
 * dialled, and the deadline (epoch ms) the connector set, if any.
 *
 * @example
 * ```ts
 * import type { CallFacts } from './status-error.js';
 * const facts: CallFacts = { connector: 'greeter', method: '/demo.Greeter/SayHello', target: 'grpc://127.0.0.1:50051', deadline: undefined };
 * ```
 */
export interface CallFacts {
  connector: string;
  method: string;
  target: string;
  deadline: number | undefined;
}

/** Statuses a repeat may fix: always for these two, for idempotent methods the next three too. */
const RETRYABLE = new Set<number>([Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED, Code.DEADLINE_EXCEEDED, Code.ABORTED, Code.INTERNAL]);
const TLS_DETAILS = /certificate|SSL|TLS|handshake|self.signed|altname/i;

/**
 * The `ConnectorError` for a call that ended with a non-OK status. The code is `GRPC`
 * with `grpcCode`, `grpcStatus` and the server's message in details, except where a
 * more precise code says more: `TIMEOUT` when the connector's own deadline passed,
 * `CONNECTION_REFUSED`, `DNS` and `TLS` for channels that could not connect, and
 * `MESSAGE_TOO_LARGE` for a message over the channel's size limits. A valid
 * `grpc-retry-pushback-ms` trailer becomes `retryAfterMs`.
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { statusError } from './status-error.js';
 * const facts = { connector: 'greeter', method: '/demo.Greeter/SayHello', target: 'grpc://127.0.0.1:50051', deadline: undefined };
 * statusError({ code: 14, details: 'down' }, facts, new Redactor()).details.grpcStatus; // 'UNAVAILABLE'
 * ```
 */
export function statusError(status: { code: number; details: string; metadata?: Metadata | undefined }, facts: CallFacts, redactor: Redactor): ConnectorError {
  const { code } = status;
  const name = grpcStatusName(code);
  const message = redactor.text(status.details ?? '');
  const trailers = metadataRecord(status.metadata, redactor);
  const pushback = trailers['grpc-retry-pushback-ms'];
  const details: ConnectorErrorDetails = {
    connector: facts.connector,
    method: facts.method,
    grpcCode: code,
    grpcStatus: name,
    grpcMessage: message,
    trailers: printable(trailers),
    ...pushbackDetails(pushback),
  };
  const call = `${facts.method} through connector "${facts.connector}"`;
  const make = (errorCode: ErrorCode, text: string, retryable?: boolean): ConnectorError =>
    new ConnectorError(errorCode, text, { details, ...(retryable === undefined ? {} : { retryable }) });
  if (code === Code.DEADLINE_EXCEEDED && facts.deadline !== undefined && Date.now() >= facts.deadline - 5) {
    return make('TIMEOUT', `${call} passed its deadline (DEADLINE_EXCEEDED); raise timeout.total or the call's timeout`);
  }
  if (code === Code.UNAVAILABLE && /ECONNREFUSED/.test(message)) {
    return make('CONNECTION_REFUSED', `${call}: connection refused by ${facts.target}; check that the server is running and the target's host and port`);
  }
  if (code === Code.UNAVAILABLE && /ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(message)) {
    return make('DNS', `${call}: the host of ${facts.target} does not resolve; check the target's spelling`);
  }
  if (code === Code.UNAVAILABLE && TLS_DETAILS.test(message)) {
    return make('TLS', `${call}: TLS with ${facts.target} failed (${message}); trust the server's CA with tls.ca, or fix tls.serverName`);
  }
  if (code === Code.RESOURCE_EXHAUSTED && /message larger than max/i.test(message)) {
    return make('MESSAGE_TOO_LARGE', `${call}: ${message}; raise channel.maxReceiveMessageBytes / maxSendMessageBytes or ask for less`, false);
  }
  const hint = STATUS_HINTS[code] ?? 'see the server message';
  return make('GRPC', `${call} failed with ${name} (${code})${message ? `: ${message}` : ''}; ${hint}`, RETRYABLE.has(code));
}

/**
 * The error for a call cancelled through its signal: the signal's reason when that is
 * a `ConnectorError` (a timeout), `ABORTED` otherwise.
 *
 * @example
 * ```ts
 * import { abortedCall } from './status-error.js';
 * const c = new AbortController(); c.abort();
 * abortedCall(c.signal, { connector: 'g', method: '/p.S/M', target: 'grpc://127.0.0.1:1', deadline: undefined }).code; // 'ABORTED'
 * ```
 */
export function abortedCall(signal: CallSignal, facts: CallFacts): ConnectorError {
  const reason: unknown = signal.reason;
  if (isConnectorError(reason)) return reason;
  return new ConnectorError('ABORTED', `${facts.method} through connector "${facts.connector}" was cancelled by the caller's AbortSignal`, {
    cause: reason,
    details: { connector: facts.connector, method: facts.method, grpcCode: Code.CANCELLED, grpcStatus: 'CANCELLED' },
  });
}

function pushbackDetails(value: unknown): { retryAfterMs?: number; grpcPushback?: string } {
  if (value === undefined) return {};
  const text = Array.isArray(value) ? String(value[0]) : String(value);
  // gRFC A6: a pushback that is not a non-negative integer means "do not retry".
  return /^\d+$/.test(text) ? { retryAfterMs: Number(text), grpcPushback: text } : { grpcPushback: text };
}

function printable(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = Buffer.isBuffer(value) ? value.toString('base64') : Array.isArray(value) ? value.map((v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)) : value;
  }
  return out;
}
