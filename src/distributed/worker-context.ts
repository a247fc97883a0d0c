import type { AsyncLocalStorage } from 'node:async_hooks';
import type { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConnectorActivity } from '../cli/progress/run-stats.js';
import type { ConnectorLookup } from '../pipeline/connectors.js';
import type { StepTypes } from '../pipeline/step-types.js';
import type { Waker } from './waker.js';

/**
 * What the run and item processors of one worker share.
 *
 * @example
 * ```ts
 * import type { WorkerContext } from './worker-context.js';
 * declare const ctx: WorkerContext;
 * ctx.name;
 * ```
 */
export interface WorkerContext {
  /** The worker's name, recorded on the jobs it processes. */
  readonly name: string;
  readonly prefix: string;
  /** For the run's own keys (checkpoint, outcomes, events). */
  readonly redis: Redis;
  /** Adds foreach items as child jobs of their run job. */
  readonly flows: FlowProducer;
  readonly waker: Waker;
  /** The step types the worker knows. */
  readonly types: StepTypes;
  /** The worker's connectors, reporting their activity to `activity`'s current listener. */
  readonly connectors: ConnectorLookup;
  /** Routes connector activity to the stream of the run whose work caused it. */
  readonly activity: AsyncLocalStorage<(activity: ConnectorActivity) => void>;
  /** How long finished runs and jobs are kept, in seconds. */
  readonly retentionSeconds: number;
  /** The longest a fan-out waits before it looks at its items again, in milliseconds. */
  readonly pollMs: number;
  /** Aborted when the worker stops: runs in progress, and runs it still happens to fetch, go back to the queue. */
  readonly stopping: AbortSignal;
  /** Reports a problem that belongs to no run (a lost event, a Redis hiccup). */
  readonly warn: (message: string) => void;
}
