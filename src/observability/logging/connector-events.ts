import type { ConnectorEvents } from '../../core/connector-events.js';
import type { Disposable } from '../../core/events.js';
import { Redactor } from '../redact.js';
import type { LogLevel } from './levels.js';
import type { Logger } from './logger.js';
import { redactLogger } from './redacting-logger.js';
import type { RedactorSource } from './redaction.js';

/**
 * What {@link logConnectorEvents} listens to: a connector, or its events emitter.
 *
 * @example
 * ```ts
 * import type { ConnectorEventSource } from 'ia-connectors';
 * declare const connector: import('ia-connectors').RestConnector;
 * const source: ConnectorEventSource = connector;
 * ```
 */
export interface ConnectorEventSource {
  on<K extends keyof ConnectorEvents>(event: K, listener: (payload: ConnectorEvents[K]) => void): Disposable;
  /** A connector's redactor; used when no `redactor` option is given. */
  readonly redactor?: Redactor;
}

/**
 * Options of {@link logConnectorEvents}.
 *
 * @example
 * ```ts
 * import { Redactor, type LogConnectorEventsOptions } from 'ia-connectors';
 * const o: LogConnectorEventsOptions = { redactor: new Redactor({ secrets: ['s3cr3t-value'] }) };
 * ```
 */
export interface LogConnectorEventsOptions {
  /** Rules on top of the built-in ones; default the source's own `redactor`. */
  redactor?: RedactorSource;
}

/**
 * Logs a connector's own life: `stateChange` and `redirect` at `debug`, credential
 * refreshes (`authRefresh`) at `debug` or `warn` when they failed, circuit breaker
 * changes at `warn` when it opens and `info` otherwise, a shared store lost (`warn`)
 * and back (`info`). Per-call activity (attempts,
 * retries, waits) is {@link loggerObserver}'s. Dispose the handle to stop.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import { createRestConnector, logConnectorEvents } from 'ia-connectors';
 * const api = createRestConnector({ name: 'api', baseUrl: 'https://api.example.com' });
 * using logging = logConnectorEvents(api, pino());
 * ```
 */
export function logConnectorEvents(source: ConnectorEventSource, logger: Logger, options: LogConnectorEventsOptions = {}): Disposable {
  const redactor = options.redactor ?? (source.redactor instanceof Redactor ? source.redactor : undefined);
  const log = redactLogger(logger, redactor === undefined ? {} : { redactor });
  const write = (level: LogLevel, event: keyof ConnectorEvents, payload: object, message: string): void => {
    if (log.isLevelEnabled(level)) log[level]({ ...payload, event }, message);
  };
  const subscriptions = [
    source.on('storeError', (e) => write('warn', 'storeError', e, `${e.connector}: shared ${e.store} store unavailable, using ${e.policy}: ${e.message}`)),
    source.on('storeRecovered', (e) => write('info', 'storeRecovered', e, `${e.connector}: shared ${e.store} store answers again`)),
    source.on('stateChange', (e) => write('debug', 'stateChange', e, `${e.connector}: ${e.from} → ${e.to}`)),
    source.on('redirect', (e) =>
      write('debug', 'redirect', e, `${e.connector}: ${e.status} redirect to ${e.to}${e.crossOrigin ? ' (cross-origin, credentials dropped)' : ''}`),
    ),
    source.on('authRefresh', (e) =>
      e.ok
        ? write('debug', 'authRefresh', e, `${e.connector}: ${e.strategy} credentials fetched (${e.reason}) in ${Math.round(e.durationMs)} ms`)
        : write('warn', 'authRefresh', e, `${e.connector}: ${e.strategy} credentials could not be fetched (${e.reason}): ${e.error?.message ?? 'no reason given'}`),
    ),
    source.on('circuitStateChange', (e) =>
      write(
        e.to === 'open' ? 'warn' : 'info',
        'circuitStateChange',
        e,
        `${e.connector}: circuit breaker ${e.from} → ${e.to}${e.retryAt === undefined ? '' : ` until ${new Date(e.retryAt).toISOString()}`}`,
      ),
    ),
  ];
  const dispose = (): void => {
    for (const s of subscriptions.splice(0)) s.dispose();
  };
  return { dispose, [Symbol.dispose]: dispose };
}
