import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import { backoffDelay, type BackoffOptions } from '../../policies/backoff.js';
import { sleep } from '../../policies/sleep.js';

/** Refusals by our own policies that pass with time: worth another round. */
const PASSING = new Set<ErrorCode>(['CIRCUIT_OPEN', 'RATE_LIMITED', 'BULKHEAD_FULL', 'STORE_UNAVAILABLE', 'TIMEOUT', 'ATTEMPT_TIMEOUT']);

/**
 * True when reopening cannot help: credentials refused, TLS or DNS failure, a
 * configuration mistake, a handshake or close code the server will repeat, or the
 * connector being closed. Breaker, limiter and timeout refusals are not final.
 *
 * @example
 * ```ts
 * import { isFinalSocketError, ConnectorError } from 'ia-connectors';
 * isFinalSocketError(new ConnectorError('AUTH', 'refused')); // true
 * isFinalSocketError(new ConnectorError('CONNECTION_REFUSED', 'down')); // false
 * ```
 */
export function isFinalSocketError(error: unknown): boolean {
  if (!isConnectorError(error)) return true;
  if (PASSING.has(error.code)) return false;
  return !error.retryable;
}

/**
 * What one reconnect round needs: how to open, how to take the new socket over,
 * and where to report the wait.
 *
 * @example
 * ```ts
 * import type { ReconnectRounds } from './reconnect.js';
 * declare const rounds: ReconnectRounds<{ close(): void }>;
 * ```
 */
export interface ReconnectRounds<C> {
  readonly connector: string;
  readonly url: string;
  readonly settings: BackoffOptions & { maxAttempts: number };
  /** Aborted when the connector closes: stops the wait and the open in progress. */
  readonly signal: CallSignal;
  open(): Promise<C>;
  /** Takes the socket over; returns the error that dropped it again, or `undefined` when it is live. */
  resume(channel: C): Promise<unknown>;
  onWait(attempt: number, delayMs: number, reason: string): void;
}

/**
 * Reopens a dropped socket: each round waits a backoff with jitter (at least what
 * the server asked for), then opens through the policy chain (so retry, breaker
 * and auth apply) and resumes. Stops at the first final error, or after
 * `maxAttempts` rounds with a `WEBSOCKET` error naming the last cause.
 *
 * @throws the final error, the give-up error, or the abort reason when closed.
 * @example
 * ```ts
 * import { reconnect, type ReconnectRounds } from './reconnect.js';
 * declare const rounds: ReconnectRounds<unknown>;
 * declare const dropped: Error;
 * await reconnect(rounds, dropped);
 * ```
 */
export async function reconnect<C>(rounds: ReconnectRounds<C>, dropped: unknown): Promise<void> {
  const { settings, signal } = rounds;
  let last: unknown = dropped;
  let previous = 0;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const asked = isConnectorError(last) ? last.details.retryAfterMs : undefined;
    const delay = Math.max(backoffDelay(attempt, previous, settings), asked ?? 0);
    previous = delay;
    rounds.onWait(attempt, delay, isConnectorError(last) ? last.code : 'error');
    await sleep(delay, signal, `the reconnect wait of "${rounds.connector}"`);
    let channel: C;
    try {
      channel = await rounds.open();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      last = error;
      if (isFinalSocketError(error)) throw error;
      continue;
    }
    const droppedAgain = await rounds.resume(channel);
    if (droppedAgain === undefined) return;
    last = droppedAgain;
    if (signal.aborted) throw signal.reason;
    if (isFinalSocketError(droppedAgain)) throw droppedAgain;
  }
  const cause = isConnectorError(last) ? `${last.code}: ${last.message}` : String(last);
  throw new ConnectorError(
    'WEBSOCKET',
    `gave up reopening the WebSocket to ${rounds.url} after ${settings.maxAttempts} attempt(s); last error ${cause}. Check the server, or raise reconnect.maxAttempts`,
    { cause: last, retryable: false, details: { connector: rounds.connector, url: rounds.url, attempts: settings.maxAttempts } },
  );
}
