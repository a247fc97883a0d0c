import { ConnectorError } from '../core/errors.js';

/**
 * How a worker takes and keeps jobs.
 *
 * @example
 * ```ts
 * import type { WorkerSettings } from 'ia-connectors';
 * const s: WorkerSettings = { concurrency: 8, lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 3, retentionSeconds: 86_400, pollMs: 1000 };
 * ```
 */
export interface WorkerSettings {
  /** Run jobs, and item jobs, this worker processes at once (each). */
  concurrency: number;
  /** How long a job stays locked to this worker without a renewal; the lock is renewed every half of it. */
  lockDurationMs: number;
  /** How often the worker looks for jobs whose worker stopped renewing their lock. */
  stalledIntervalMs: number;
  /** How many times a job may be recovered from a dead worker before it fails. */
  maxStalledCount: number;
  /** How long finished runs (jobs, events, checkpoints, results) are kept. */
  retentionSeconds: number;
  /** The longest a fan-out waits before looking at its items again when no event arrived. */
  pollMs: number;
}

/**
 * The defaults of {@link WorkerSettings}: BullMQ's lock duration and stalled interval
 * (30 s each), 3 recoveries, runs kept one day.
 *
 * @example
 * ```ts
 * import { WORKER_DEFAULTS } from 'ia-connectors';
 * WORKER_DEFAULTS.lockDurationMs; // 30000
 * ```
 */
export const WORKER_DEFAULTS: Readonly<WorkerSettings> = {
  concurrency: 8,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
  retentionSeconds: 86_400,
  pollMs: 1000,
};

const BOUNDS: Record<keyof WorkerSettings, [number, number, string]> = {
  concurrency: [1, 1000, 'e.g. 8'],
  lockDurationMs: [100, 3_600_000, 'in milliseconds, e.g. 30000'],
  stalledIntervalMs: [50, 3_600_000, 'in milliseconds, e.g. 30000'],
  maxStalledCount: [0, 1000, 'e.g. 3'],
  retentionSeconds: [1, 365 * 86_400, 'in seconds, e.g. 86400'],
  pollMs: [10, 60_000, 'in milliseconds, e.g. 1000'],
};

/**
 * Checks worker settings: whole numbers within sensible bounds.
 *
 * @throws `CONFIG` {@link ConnectorError} naming the setting and its bounds.
 * @example
 * ```ts
 * import { checkWorkerSettings, WORKER_DEFAULTS } from './worker-settings.js';
 * checkWorkerSettings({ ...WORKER_DEFAULTS, concurrency: 4 });
 * ```
 */
export function checkWorkerSettings(settings: WorkerSettings): WorkerSettings {
  for (const [key, [min, max, hint]] of Object.entries(BOUNDS) as [keyof WorkerSettings, [number, number, string]][]) {
    const value = settings[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConnectorError('CONFIG', `${key}: ${String(value)} is not a whole number from ${min} to ${max}; give one ${hint}`);
    }
  }
  return settings;
}
