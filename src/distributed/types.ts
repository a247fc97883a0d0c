import type { ConnectorActivity } from '../cli/progress/run-stats.js';
import type { PipelineEvent, RunResult, StepError } from '../pipeline/run-types.js';

/**
 * What a run job carries: the pipeline as JSON, the run's parameters and input. It is
 * stored in Redis as is, so secrets belong in the workers' connectors files (as
 * `${env:…}` references), never in parameters or input.
 *
 * @example
 * ```ts
 * import type { RunJobData } from 'ia-connectors';
 * const data: RunJobData = { pipeline: { name: 'p', steps: [], flow: { start_at: 'a' } }, parameters: {}, input: {}, enqueuedAt: new Date().toISOString() };
 * ```
 */
export interface RunJobData {
  pipeline: unknown;
  parameters: Record<string, unknown>;
  input: Record<string, unknown>;
  /** ISO 8601 time the run was enqueued. */
  enqueuedAt: string;
}

/**
 * What an item job carries: where it belongs (run, foreach step, index), the item,
 * and the nested step still unresolved; the template scope is read from Redis.
 *
 * @example
 * ```ts
 * import type { ItemJobData } from 'ia-connectors';
 * const data: ItemJobData = { runId: 'r1', stepId: 'fan', index: 0, item: { id: 1 }, step: { type: 'api_call', config: { connector: 'c', endpoint: '/x' } } };
 * ```
 */
export interface ItemJobData {
  runId: string;
  stepId: string;
  index: number;
  item: unknown;
  step: { type: string; inputs?: Record<string, unknown>; config: Record<string, unknown> };
}

/**
 * How one foreach item ended, as stored under its index: the first outcome written
 * wins, so a retried item job never records an item twice.
 *
 * @example
 * ```ts
 * import type { ItemOutcome } from 'ia-connectors';
 * const ok: ItemOutcome = { ok: true, result: { id: 1 }, attempts: 1 };
 * ```
 */
export type ItemOutcome = { ok: true; result: unknown; attempts?: number } | { ok: false; error: StepError };

/**
 * An entry of a run's event stream: the runner's events, connector activity on the
 * workers (retries, rate-limit waits, breaker changes, credential fetches), a note
 * when another worker resumed the run, and finally its result.
 *
 * @example
 * ```ts
 * import type { DistributedRunEvent } from 'ia-connectors';
 * const log = (e: DistributedRunEvent) => { if (e.type === 'run_resumed') console.error(`resumed on ${e.worker}`); };
 * ```
 */
export type DistributedRunEvent =
  | PipelineEvent
  | { type: 'connector'; activity: ConnectorActivity }
  | { type: 'run_resumed'; attempt: number; worker: string; restoredSteps: string[] }
  | { type: 'result'; result: RunResult };

/**
 * Where a run is: `queued` (waiting for a worker, also after a worker released it or
 * died), `running`, or finished.
 *
 * @example
 * ```ts
 * import type { DistributedRunState } from 'ia-connectors';
 * const s: DistributedRunState = 'running';
 * ```
 */
export type DistributedRunState = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * A run's state as `runStatus` reports it.
 *
 * @example
 * ```ts
 * import type { RunStatus } from 'ia-connectors';
 * declare const s: RunStatus;
 * for (const step of s.steps) console.log(step.id, step.status, step.items ? `${step.items.done}/${step.items.total}` : '');
 * ```
 */
export interface RunStatus {
  runId: string;
  state: DistributedRunState;
  /** The pipeline's name. */
  pipeline: string;
  /** How many times a worker started the run (more than 1 after a worker died or was stopped). */
  attempts: number;
  /** The worker running it, or that ran it last. */
  worker?: string;
  enqueuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Every step in pipeline order (`running` while the run is); `items` for foreach steps that started. */
  steps: { id: string; status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped'; items?: { done: number; total: number } }[];
  /** Steps finished (succeeded, failed or skipped). */
  stepsDone: number;
  error?: StepError & { stepId?: string };
  /** The run's result once it finished. */
  result?: RunResult;
}
