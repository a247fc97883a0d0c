import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallEventName, ObservedAttributes } from '../../core/observer.js';
import type { CallObservation, ObservedCall, ObservedResult, Observer, StepObservation } from '../observer.js';
import { observedStatus, outcomeText, roundMs } from './call-fields.js';
import type { LogLevel } from './levels.js';
import { logConnectorEvents } from './connector-events.js';
import type { Logger } from './logger.js';
import { redactLogger, type RedactingLogger } from './redacting-logger.js';
import type { RedactorSource } from './redaction.js';

/**
 * Options of {@link loggerObserver}.
 *
 * @example
 * ```ts
 * import type { LoggerObserverOptions } from 'ia-connectors';
 * declare const connector: import('ia-connectors').RestConnector;
 * const o: LoggerObserverOptions = { redactor: [connector.redactor] };
 * ```
 */
export interface LoggerObserverOptions {
  /** Rules on top of the built-in ones; pass the connectors' redactors so their secrets are known. */
  redactor?: RedactorSource;
  /**
   * Also log the connector events of every connector built with this observer, as
   * {@link logConnectorEvents} does (default true).
   */
  connectorEvents?: boolean;
}

const EVENT_LEVELS: Record<CallEventName, LogLevel> = {
  retry: 'warn',
  'rate_limit.wait': 'debug',
  'rate_limit.rejected': 'warn',
  'circuit_breaker.rejected': 'warn',
  'bulkhead.wait': 'debug',
  'bulkhead.rejected': 'warn',
};

/**
 * An {@link Observer} that writes calls and steps to a pino-compatible logger: `debug`
 * when a call starts, for each attempt and when it ends (connector, protocol, name,
 * attempt, status, durationMs); `warn` for a retry, a rate-limit, breaker or bulkhead
 * refusal, a failed call or step; `info` when a step starts and ends. Call lines carry
 * the `stepId` they ran in. Connectors built with it also log their own events (see
 * {@link logConnectorEvents}). Below `warn` nothing is observed at all, so a quiet logger
 * costs nothing per call. Every line passes the redaction utility and a throwing logger
 * never breaks a call.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import { createRestConnector, loggerObserver } from 'ia-connectors';
 * const observer = loggerObserver(pino({ level: 'debug' }));
 * const api = createRestConnector({ name: 'api', baseUrl: 'https://api.example.com' }, { observers: [observer] });
 * ```
 */
export function loggerObserver(logger: Logger, options: LoggerObserverOptions = {}): Observer {
  const log = redactLogger(logger, options.redactor === undefined ? {} : { redactor: options.redactor });
  const steps = new AsyncLocalStorage<string>();
  return {
    attach(connector) {
      if (options.connectorEvents !== false) logConnectorEvents(connector, log);
    },
    startCall(call) {
      if (!log.isLevelEnabled('warn')) return undefined;
      return observeCall(log, call, steps.getStore());
    },
    startStep(step) {
      if (!log.isLevelEnabled('warn')) return undefined;
      const fields = { stepId: step.stepId, stepType: step.stepType };
      log.info({ ...fields, event: 'step.start' }, `step ${step.stepId} started`);
      const observation: StepObservation = {
        run: (fn) => steps.run(step.stepId, fn),
        end(result) {
          const durationMs = roundMs(Date.now() - step.startTime);
          const line = { ...fields, event: 'step.end', status: result.status, durationMs, attempts: result.attempts, error: result.error };
          if (result.status === 'failed') log.warn(line, `step ${step.stepId} failed after ${durationMs} ms: ${result.error?.message ?? 'no reason given'}`);
          else log.info(line, `step ${step.stepId} ${result.status} in ${durationMs} ms`);
        },
      };
      return observation;
    },
  };
}

function observeCall(log: RedactingLogger, call: ObservedCall, stepId: string | undefined): CallObservation {
  const base = { connector: call.connector, protocol: call.protocol, name: call.name, ...(stepId === undefined ? {} : { stepId }) };
  const label = `${call.connector} ${call.name}`;
  const debug = log.isLevelEnabled('debug');
  let attempts = 0;
  if (debug) log.debug({ ...base, event: 'call.start', ...withAttributes(call.attributes) }, `${label} started`);
  return {
    event(name: CallEventName, attributes: ObservedAttributes) {
      const level = EVENT_LEVELS[name] ?? 'debug';
      if (!log.isLevelEnabled(level)) return;
      log[level]({ ...base, event: name, ...withAttributes(attributes) }, `${label}: ${describeEvent(name, attributes)}`);
    },
    attempt(attempt: number, attributes: ObservedAttributes) {
      attempts = Math.max(attempts, attempt);
      const started = performance.now();
      if (debug) log.debug({ ...base, event: 'attempt.start', attempt, ...withAttributes(attributes) }, `${label} attempt ${attempt}`);
      return {
        end(result: ObservedResult) {
          if (!debug) return;
          const durationMs = roundMs(performance.now() - started);
          log.debug({ ...base, event: 'attempt.end', attempt, ...resultFields(result), durationMs }, `${label} attempt ${attempt}: ${outcomeText(result)} in ${durationMs} ms`);
        },
      };
    },
    end(result: ObservedResult) {
      const durationMs = roundMs(Date.now() - call.startTime);
      const line = { ...base, event: 'call.end', attempts, ...resultFields(result), durationMs };
      const text = `${label}: ${outcomeText(result)} in ${durationMs} ms after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
      if (!result.ok) log.warn(line, `${text}${result.error ? ` (${result.error.message})` : ''}`);
      else if (debug) log.debug(line, text);
    },
  };
}

function withAttributes(attributes: ObservedAttributes): { attributes?: ObservedAttributes } {
  return Object.keys(attributes).length === 0 ? {} : { attributes };
}

function resultFields(result: ObservedResult): Record<string, unknown> {
  const status = observedStatus(result.attributes);
  return { ok: result.ok, ...(status === undefined ? {} : { status }), ...(result.error ? { error: result.error } : {}) };
}

function describeEvent(name: CallEventName, a: ObservedAttributes): string {
  switch (name) {
    case 'retry':
      return `retry ${String(a.attempt ?? '')} in ${String(a['retry.delay_ms'] ?? '?')} ms${a['retry.reason'] === undefined ? '' : ` (${String(a['retry.reason'])})`}`;
    case 'rate_limit.wait':
      return `waits ${String(a['rate_limit.wait_ms'] ?? '?')} ms for a rate-limit token`;
    case 'rate_limit.rejected':
      return `refused by the rate limiter (would wait ${String(a['rate_limit.wait_ms'] ?? '?')} ms)`;
    case 'circuit_breaker.rejected':
      return `refused by the circuit breaker (${String(a['circuit_breaker.state'] ?? 'open')})`;
    case 'bulkhead.wait':
      return `waits for a bulkhead slot (${String(a['bulkhead.active'] ?? '?')} active, ${String(a['bulkhead.queued'] ?? '?')} queued)`;
    case 'bulkhead.rejected':
      return `refused by the bulkhead (${String(a['bulkhead.active'] ?? '?')} active, ${String(a['bulkhead.queued'] ?? '?')} queued)`;
    default:
      return name;
  }
}
