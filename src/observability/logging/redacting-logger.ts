import { thresholdValue, type LogLevel } from './levels.js';
import type { LogFn, Logger } from './logger.js';
import { Redaction, type RedactorSource } from './redaction.js';

/**
 * Options of {@link redactLogger}.
 *
 * @example
 * ```ts
 * import { Redactor, type RedactLoggerOptions } from 'ia-connectors';
 * const o: RedactLoggerOptions = { redactor: new Redactor({ secrets: ['s3cr3t-value'] }) };
 * ```
 */
export interface RedactLoggerOptions {
  /** Rules on top of the built-in ones (URL userinfo, credential query parameters and keys). */
  redactor?: RedactorSource;
}

let warned = false;

/**
 * A {@link Logger} that passes every message and field of every line through the
 * redaction utility, skips lines below the target's level before building them, and
 * never throws: a logger that fails is reported once as a process warning and the call
 * that logged goes on. Wrapping a logger this function returned adds the new rules to
 * the existing wrapper instead of nesting a second one.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import { redactLogger } from 'ia-connectors';
 * const log = redactLogger(pino(), { redactor: connector.redactor });
 * log.info({ url: 'https://user:pw@api.test/x?access_token=t' }, 'fetched'); // userinfo and token hidden
 * ```
 */
export function redactLogger(logger: Logger, options: RedactLoggerOptions = {}): RedactingLogger {
  if (logger instanceof RedactingLogger) return options.redactor === undefined ? logger : logger.withRedactor(options.redactor);
  return new RedactingLogger(logger, new Redaction(options.redactor), undefined);
}

/**
 * What {@link redactLogger} returns: a {@link Logger} that also answers
 * `isLevelEnabled` for every logger, so callers can skip work for lines nobody sees.
 *
 * @example
 * ```ts
 * import { redactLogger } from 'ia-connectors';
 * declare const logger: import('ia-connectors').Logger;
 * const log = redactLogger(logger);
 * if (log.isLevelEnabled('debug')) log.debug({ size: 3 }, 'details');
 * ```
 */
export class RedactingLogger implements Logger {
  readonly #target: Logger;
  readonly #redaction: Redaction;
  /** Fields added by `child()` when the target has no `child` of its own. */
  readonly #bindings: Record<string, unknown> | undefined;

  /** Use {@link redactLogger}. */
  constructor(target: Logger, redaction: Redaction, bindings: Record<string, unknown> | undefined) {
    this.#target = target;
    this.#redaction = redaction;
    this.#bindings = bindings;
  }

  readonly trace: LogFn = (a: object | string, b?: string) => this.#log('trace', a, b);
  readonly debug: LogFn = (a: object | string, b?: string) => this.#log('debug', a, b);
  readonly info: LogFn = (a: object | string, b?: string) => this.#log('info', a, b);
  readonly warn: LogFn = (a: object | string, b?: string) => this.#log('warn', a, b);
  readonly error: LogFn = (a: object | string, b?: string) => this.#log('error', a, b);
  readonly fatal: LogFn = (a: object | string, b?: string) => this.#log('fatal', a, b);

  /** The target's level, when it has one; setting it sets the target's. */
  get level(): string | undefined {
    return this.#target.level;
  }

  set level(value: string | undefined) {
    this.#target.level = value;
  }

  /** True when a line at `level` would be written; unknown levels of unknown loggers count as enabled. */
  isLevelEnabled(level: string): boolean {
    const target = this.#target;
    try {
      if (typeof target.isLevelEnabled === 'function') return target.isLevelEnabled(level);
      const threshold = typeof target.level === 'string' ? thresholdValue(target.level) : undefined;
      const wanted = thresholdValue(level);
      return threshold === undefined || wanted === undefined || wanted >= threshold;
    } catch {
      return true;
    }
  }

  /** A logger whose lines all carry `bindings` (redacted too). */
  child(bindings: Record<string, unknown>): RedactingLogger {
    const safe = this.#redaction.value(bindings) as Record<string, unknown>;
    if (typeof this.#target.child === 'function') {
      try {
        return new RedactingLogger(this.#target.child(safe), this.#redaction, this.#bindings);
      } catch (error) {
        reportFailure(error);
      }
    }
    return new RedactingLogger(this.#target, this.#redaction, { ...this.#bindings, ...safe });
  }

  /** This logger with `more` rules added. */
  withRedactor(more: RedactorSource): RedactingLogger {
    return new RedactingLogger(this.#target, this.#redaction.with(more), this.#bindings);
  }

  #log(level: LogLevel, first: object | string, message: string | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    try {
      const target = this.#target;
      if (typeof first === 'string' && this.#bindings === undefined) {
        target[level](this.#redaction.text(first));
        return;
      }
      const fields = typeof first === 'string' ? {} : first instanceof Error ? { err: first } : first;
      const text = typeof first === 'string' ? first : message;
      const safe = this.#redaction.value(this.#bindings === undefined ? fields : { ...this.#bindings, ...fields }) as object;
      if (text === undefined) target[level](safe);
      else target[level](safe, this.#redaction.text(text));
    } catch (error) {
      reportFailure(error);
    }
  }
}

function reportFailure(error: unknown): void {
  if (warned) return;
  warned = true;
  process.emitWarning(`ia-connectors: the logger threw and its lines are being dropped: ${error instanceof Error ? error.name : typeof error}`);
}
