/**
 * One logging method, called as pino's are: `log(fields, message?)` or `log(message)`.
 *
 * @example
 * ```ts
 * import type { LogFn } from 'ia-connectors';
 * const info: LogFn = (a: object | string, b?: string) => console.log(a, b);
 * ```
 */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/**
 * The logger the library writes to: the subset of pino's API it uses, so a pino
 * instance (or anything shaped like one: bunyan-style wrappers, a test spy) is passed
 * as it is. `level` and `isLevelEnabled` let the library skip building lines nobody
 * will see; `child` adds fields to every line.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import type { Logger } from 'ia-connectors';
 * const logger: Logger = pino({ level: 'debug' });
 * ```
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child?(bindings: Record<string, unknown>): Logger;
  level?: string;
  isLevelEnabled?(level: string): boolean;
}
