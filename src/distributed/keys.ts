import { ConnectorError } from '../core/errors.js';

/**
 * The key prefix of distributed runs when none is given: BullMQ's queues live under
 * `ia-connectors:runs:*` and `ia-connectors:items:*`, a run's own keys under
 * `ia-connectors:run:<id>:*`.
 *
 * @example
 * ```ts
 * import { DEFAULT_QUEUE_PREFIX } from 'ia-connectors';
 * DEFAULT_QUEUE_PREFIX; // 'ia-connectors'
 * ```
 */
export const DEFAULT_QUEUE_PREFIX = 'ia-connectors';

/**
 * The BullMQ queue of run jobs, one per run, its job id the run id.
 *
 * @example
 * ```ts
 * import { Queue } from 'bullmq';
 * import { RUNS_QUEUE } from './keys.js';
 * const runs = new Queue(RUNS_QUEUE, { connection: { url: 'redis://127.0.0.1:6379' }, prefix: 'ia-connectors' });
 * ```
 */
export const RUNS_QUEUE = 'runs';

/**
 * The BullMQ queue of item jobs, one per foreach item, each a child of its run job.
 *
 * @example
 * ```ts
 * import { Queue } from 'bullmq';
 * import { ITEMS_QUEUE } from './keys.js';
 * const items = new Queue(ITEMS_QUEUE, { connection: { url: 'redis://127.0.0.1:6379' }, prefix: 'ia-connectors' });
 * ```
 */
export const ITEMS_QUEUE = 'items';

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Checks a run id given by the caller: it becomes a BullMQ job id and part of Redis
 * keys, so it is letters, digits, `_` and `-` only, and not a bare number (BullMQ
 * reserves those for its own ids).
 *
 * @throws `CONFIG` {@link ConnectorError} naming the rule.
 * @example
 * ```ts
 * import { assertRunId } from './keys.js';
 * assertRunId('nightly-2025-01-01');
 * ```
 */
export function assertRunId(runId: string): void {
  if (!RUN_ID.test(runId) || /^\d+$/.test(runId)) {
    throw new ConnectorError('CONFIG', `run id "${runId.slice(0, 40)}": use 1 to 128 letters, digits, "_" or "-", not only digits, e.g. "nightly-2025-01-01"`);
  }
}

/**
 * The Redis keys a run owns besides BullMQ's: its event stream, the checkpoint of its
 * finished steps, its foreach bookkeeping, and per foreach step the item outcomes
 * (field = item index) and the template scope the items are resolved with.
 *
 * @example
 * ```ts
 * import { runKeys } from './keys.js';
 * runKeys('ia-connectors', 'r1').items('fan'); // 'ia-connectors:run:r1:step:fan'
 * ```
 */
export function runKeys(prefix: string, runId: string) {
  const base = `${prefix}:run:${runId}`;
  return {
    /** Hash: attempts, first start time, the pipeline's name. */
    meta: base,
    /** Stream: the run's events, in order, ending with its result. */
    events: `${base}:events`,
    /** Hash: step id → its finished StepRecord (JSON). */
    steps: `${base}:steps`,
    /** Hash: foreach step id → `{ total, concurrency }` (JSON). */
    foreach: `${base}:foreach`,
    /** Hash: item index → the item's outcome (JSON). */
    items: (stepId: string) => `${base}:step:${stepId}`,
    /** String: the template scope a foreach step's items are resolved with (JSON). */
    scope: (stepId: string) => `${base}:step:${stepId}:scope`,
  };
}

/**
 * The BullMQ job id of one foreach item: stable for a run, step and index, so adding
 * it twice adds it once, and the same key names its outcome and its Idempotency-Key.
 *
 * @example
 * ```ts
 * import { itemJobId } from './keys.js';
 * itemJobId('r1', 'fan', 7); // 'r1.fan.7'
 * ```
 */
export function itemJobId(runId: string, stepId: string, index: number): string {
  return `${runId}.${stepId}.${index}`;
}

/**
 * Splits an item job id (or a BullMQ job key ending in one) into run, step and index.
 *
 * @example
 * ```ts
 * import { parseItemJobId } from './keys.js';
 * parseItemJobId('ia-connectors:items:r1.fan.7'); // { runId: 'r1', stepId: 'fan', index: 7 }
 * ```
 */
export function parseItemJobId(id: string): { runId: string; stepId: string; index: number } | undefined {
  const match = /(?:^|:)([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.(\d+)$/.exec(id);
  if (!match) return undefined;
  return { runId: match[1] ?? '', stepId: match[2] ?? '', index: Number(match[3]) };
}
