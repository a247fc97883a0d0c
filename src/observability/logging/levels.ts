import { ConnectorError } from '../../core/errors.js';

/**
 * pino's level numbers: what a JSON log line's `level` field holds.
 *
 * @example
 * ```ts
 * import { LOG_LEVELS } from 'ia-connectors';
 * LOG_LEVELS.warn; // 40
 * ```
 */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/**
 * A level a line is written at.
 *
 * @example
 * ```ts
 * import type { LogLevel } from 'ia-connectors';
 * const l: LogLevel = 'debug';
 * ```
 */
export type LogLevel = keyof typeof LOG_LEVELS;

/**
 * A logger's threshold: a {@link LogLevel}, or `silent` for nothing at all.
 *
 * @example
 * ```ts
 * import type { LogThreshold } from 'ia-connectors';
 * const t: LogThreshold = 'silent';
 * ```
 */
export type LogThreshold = LogLevel | 'silent';

const THRESHOLDS: readonly LogThreshold[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * True when `value` names a {@link LogThreshold}.
 *
 * @example
 * ```ts
 * import { isLogThreshold } from 'ia-connectors';
 * isLogThreshold('warn'); // true
 * ```
 */
export function isLogThreshold(value: unknown): value is LogThreshold {
  return typeof value === 'string' && (THRESHOLDS as readonly string[]).includes(value);
}

/**
 * Reads a threshold given as text (a CLI flag, an environment variable); anything else
 * is a `CONFIG` error that names `field` and lists the accepted values.
 *
 * @example
 * ```ts
 * import { parseLogThreshold } from 'ia-connectors';
 * parseLogThreshold('debug', '--log-level'); // 'debug'
 * ```
 */
export function parseLogThreshold(value: string, field = 'log level'): LogThreshold {
  const normalised = value.trim().toLowerCase();
  if (isLogThreshold(normalised)) return normalised;
  throw new ConnectorError('CONFIG', `${field}: "${value}" is not a log level; use one of ${THRESHOLDS.join(', ')}`);
}

/**
 * The number of a threshold; `silent` is above every level, an unknown name has none.
 *
 * @example
 * ```ts
 * import { thresholdValue } from './levels.js';
 * thresholdValue('warn'); // 40
 * ```
 */
export function thresholdValue(threshold: string): number | undefined {
  if (threshold === 'silent') return Number.POSITIVE_INFINITY;
  return (LOG_LEVELS as Record<string, number>)[threshold];
}
