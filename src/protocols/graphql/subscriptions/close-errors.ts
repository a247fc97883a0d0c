import { ConnectorError, isConnectorError } from '../../../core/errors.js';
import type { Redactor } from '../../../observability/redact.js';
import { graphqlErrorsError } from '../result.js';
import { normaliseError } from '../wire-result.js';

/**
 * A WebSocket close as graphql-ws reports it.
 *
 * @example
 * ```ts
 * import type { CloseInfo } from 'ia-connectors';
 * const c: CloseInfo = { code: 4403, reason: 'Forbidden' };
 * ```
 */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** What each graphql-ws close code means and what to do about it. */
const CLOSE_CODES: Record<number, { meaning: string; fix: string }> = {
  1009: { meaning: 'a message exceeded the size limit', fix: 'raise subscriptions.maxPayload, or select fewer fields' },
  4004: { meaning: 'the server sent a message that breaks the graphql-ws protocol', fix: 'check that the server speaks graphql-transport-ws' },
  4005: { meaning: 'the client failed internally while handling the connection', fix: 'check subscriptions.connectionParams' },
  4400: { meaning: 'the server found a message malformed (Bad Request)', fix: 'check the server logs; the reason says what it rejected' },
  4401: {
    meaning: 'the server received a subscribe before it had acknowledged connection_init (Unauthorized)',
    fix: 'check that the server accepts the connection_init credentials and answers with connection_ack',
  },
  4403: { meaning: 'the server refused the connection_init credentials (Forbidden)', fix: 'check the connector auth settings and subscriptions.connectionParams' },
  4406: { meaning: 'the server does not accept the graphql-transport-ws subprotocol', fix: 'the server speaks another protocol (legacy subscriptions-transport-ws is not supported)' },
  4408: { meaning: 'the server waited too long for connection_init', fix: 'a slow auth strategy delays it; check token fetching' },
  4409: { meaning: 'the server reports a subscription id that is already in use (Subscriber already exists)', fix: 'the server kept a subscription the client ended; check the server' },
  4429: { meaning: 'the connection sent connection_init more than once (Too many initialisation requests)', fix: 'check the server; the client sends it once per connection' },
  4500: { meaning: 'the server failed internally', fix: 'check the server logs' },
  4504: { meaning: 'no connection_ack arrived within subscriptions.ackTimeout', fix: 'raise subscriptions.ackTimeout or check the server' },
};

/**
 * The typed error that ends a subscription: a close code becomes `WEBSOCKET` (4403 and
 * the configured auth codes `AUTH`, 1009 `MESSAGE_TOO_LARGE`) with what it means and
 * what to do; a server `error` message becomes `GRAPHQL` with its errors; a
 * `ConnectorError` (a refused connection, an open circuit) passes through.
 *
 * @example
 * ```ts
 * import { subscriptionError } from 'ia-connectors';
 * subscriptionError({ code: 4409, reason: 'Subscriber for 1 already exists' }, { connector: 'shop', url: 'ws://127.0.0.1:4000/graphql' }).code; // 'WEBSOCKET'
 * ```
 */
export function subscriptionError(
  reason: unknown,
  context: { connector: string; url: string; operationName?: string | undefined; authCloseCodes?: readonly number[]; redactor?: Redactor },
): ConnectorError {
  if (isConnectorError(reason)) return reason;
  const details = { connector: context.connector, url: context.url };
  if (Array.isArray(reason)) {
    return graphqlErrorsError(reason.map(normaliseError), { operationName: context.operationName, redactor: context.redactor });
  }
  if (isCloseInfo(reason)) {
    const known = CLOSE_CODES[reason.code];
    const shownReason = context.redactor ? context.redactor.text(reason.reason) : reason.reason;
    const closeDetails = { ...details, closeCode: reason.code, closeReason: shownReason };
    const said = shownReason ? ` ("${shownReason}")` : '';
    if (reason.code === 1009) return new ConnectorError('MESSAGE_TOO_LARGE', `${context.url}: ${known?.meaning}${said}; ${known?.fix}`, { details: closeDetails });
    if (reason.code === 4403 || context.authCloseCodes?.includes(reason.code)) {
      const auth = CLOSE_CODES[4403] as { meaning: string; fix: string };
      return new ConnectorError('AUTH', `${context.url} closed the subscription connection with ${reason.code}${said}: ${auth.meaning}; ${auth.fix}`, { details: closeDetails });
    }
    const text = known
      ? `${context.url} closed the subscription connection with ${reason.code}${said}: ${known.meaning}; ${known.fix}`
      : `${context.url} closed the subscription connection with ${reason.code}${said} and reconnecting did not succeed; check the server`;
    return new ConnectorError('WEBSOCKET', text, { retryable: false, details: closeDetails });
  }
  const message = context.redactor ? context.redactor.message(reason) : reason instanceof Error ? reason.message : String(reason);
  return new ConnectorError('WEBSOCKET', `the subscription connection to ${context.url} failed: ${message}`, { cause: reason, retryable: false, details });
}

/**
 * True for a close-event-like value: numeric `code` and string `reason`.
 *
 * @example
 * ```ts
 * import { isCloseInfo } from 'ia-connectors';
 * isCloseInfo({ code: 1000, reason: '' }); // true
 * ```
 */
export function isCloseInfo(value: unknown): value is CloseInfo {
  return typeof value === 'object' && value !== null && typeof (value as CloseInfo).code === 'number' && typeof (value as CloseInfo).reason === 'string';
}
