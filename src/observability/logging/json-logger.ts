import { hostname } from 'node:os';
import { ConnectorError } from '../../core/errors.js';
import { LOG_LEVELS, isLogThreshold, thresholdValue, type LogLevel, type LogThreshold } from './levels.js';
import type { LogFn, Logger } from './logger.js';
import { redactLogger, type RedactingLogger } from './redacting-logger.js';
import type { RedactorSource } from './redaction.js';

/**
 * Where {@link jsonLogger} writes: `process.stderr`, a file stream, the CLI's output,
 * or a test's capture.
 *
 * @example
 * ```ts
 * import type { LogStream } from 'ia-connectors';
 * const lines: string[] = [];
 * const stream: LogStream = { write: (line) => lines.push(line) };
 * ```
 */
export interface LogStream {
  write(line: string): unknown;
}

/**
 * Options of {@link jsonLogger}.
 *
 * @example
 * ```ts
 * import type { JsonLoggerOptions } from 'ia-connectors';
 * const o: JsonLoggerOptions = { level: 'debug', stream: process.stderr };
 * ```
 */
export interface JsonLoggerOptions {
  /** Lines below this level are not written; default `info`, `silent` writes nothing. */
  level?: LogThreshold;
  /** Default `process.stderr`, keeping stdout for a command's result. */
  stream?: LogStream;
  /** Fields on every line; default `{ pid, hostname }` as pino writes them, `null` for none. */
  base?: Record<string, unknown> | null;
  /** Rules on top of the built-in ones (URL userinfo, credential query parameters and keys). */
  redactor?: RedactorSource;
}

/**
 * A small logger that writes pino's JSON line format (`{"level":30,"time":…,"pid":…,
 * "hostname":…,…fields,"msg":…}`), so pino-pretty and log pipelines read it, without
 * depending on pino. Every line passes the redaction utility; a stream that throws
 * never breaks the caller.
 *
 * @example
 * ```ts
 * import { jsonLogger } from 'ia-connectors';
 * const log = jsonLogger({ level: 'debug' });
 * log.info({ stepId: 'load' }, 'step started'); // {"level":30,"time":…,"stepId":"load","msg":"step started"}
 * ```
 */
export function jsonLogger(options: JsonLoggerOptions = {}): RedactingLogger {
  const level = options.level ?? 'info';
  if (!isLogThreshold(level)) throw new ConnectorError('CONFIG', `jsonLogger level: "${String(level)}" is not a log level; use trace, debug, info, warn, error, fatal or silent`);
  const base = options.base === undefined ? { pid: process.pid, hostname: hostname() } : (options.base ?? {});
  const writer = new JsonLineWriter({ level }, options.stream ?? process.stderr, base);
  return redactLogger(writer, options.redactor === undefined ? {} : { redactor: options.redactor });
}

class JsonLineWriter implements Logger {
  constructor(
    /** Shared with children, so changing a parent's level changes theirs as pino's do. */
    private readonly threshold: { level: LogThreshold },
    private readonly stream: LogStream,
    private readonly bindings: Record<string, unknown>,
  ) {}

  readonly trace: LogFn = (a: object | string, b?: string) => this.#write('trace', a, b);
  readonly debug: LogFn = (a: object | string, b?: string) => this.#write('debug', a, b);
  readonly info: LogFn = (a: object | string, b?: string) => this.#write('info', a, b);
  readonly warn: LogFn = (a: object | string, b?: string) => this.#write('warn', a, b);
  readonly error: LogFn = (a: object | string, b?: string) => this.#write('error', a, b);
  readonly fatal: LogFn = (a: object | string, b?: string) => this.#write('fatal', a, b);

  get level(): string {
    return this.threshold.level;
  }

  set level(value: string) {
    if (!isLogThreshold(value)) throw new ConnectorError('CONFIG', `logger level: "${value}" is not a log level; use trace, debug, info, warn, error, fatal or silent`);
    this.threshold.level = value;
  }

  isLevelEnabled(level: string): boolean {
    const wanted = thresholdValue(level);
    return wanted !== undefined && wanted !== Number.POSITIVE_INFINITY && wanted >= (thresholdValue(this.threshold.level) ?? 0);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new JsonLineWriter(this.threshold, this.stream, { ...this.bindings, ...bindings });
  }

  #write(level: LogLevel, first: object | string, message: string | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const fields = typeof first === 'string' ? {} : first;
    const msg = typeof first === 'string' ? first : message;
    const time = Date.now();
    const line: Record<string, unknown> = { level: LOG_LEVELS[level], time, ...this.bindings, ...fields };
    // Fields named like the core keys must not change what a line's level and time say.
    line.level = LOG_LEVELS[level];
    line.time = time;
    if (msg !== undefined) line.msg = msg;
    this.stream.write(`${JSON.stringify(line)}\n`);
  }
}
