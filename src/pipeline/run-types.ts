import type { ErrorCode } from '../core/error-codes.js';
import type { ConnectorLookup } from './connectors.js';
import type { StepProgress, StepTypes } from './step-types.js';

/**
 * Why a step or run failed: the ConnectorError code (`STEP` for any other error), its
 * message, and the HTTP status when a response arrived.
 *
 * @example
 * ```ts
 * import type { StepError } from 'ia-connectors';
 * const e: StepError = { code: 'STEP', message: 'GET /users/ada answered 404, expected 2xx', status: 404 };
 * ```
 */
export interface StepError {
  code: ErrorCode;
  message: string;
  status?: number;
}

/**
 * What happened to one step. `reason` says why a step was skipped.
 *
 * @example
 * ```ts
 * import type { StepRecord } from 'ia-connectors';
 * const r: StepRecord = { status: 'succeeded', startedAt: '2025-01-01T00:00:00.000Z', durationMs: 12, attempts: 1, result: { user: {} } };
 * ```
 */
export interface StepRecord {
  status: 'succeeded' | 'failed' | 'skipped';
  /** ISO 8601 time the step started. */
  startedAt?: string;
  durationMs?: number;
  /** Requests the step made, retries included (api_call sums its pages). */
  attempts?: number;
  result?: unknown;
  error?: StepError;
  reason?: string;
}

/**
 * The outcome of a run. `outputs` is filled only when the run succeeded; `error` says
 * what failed the run and, through `stepId`, where.
 *
 * @example
 * ```ts
 * import type { RunResult } from 'ia-connectors';
 * declare const r: RunResult;
 * if (r.status === 'failed') console.error(r.error?.stepId, r.error?.message);
 * ```
 */
export interface RunResult {
  status: 'succeeded' | 'failed';
  outputs: Record<string, unknown>;
  steps: Record<string, StepRecord>;
  durationMs: number;
  error?: StepError & { stepId?: string };
}

/**
 * Progress of a run, for a CLI or a log. Step progress (`page`, `items`, `message`)
 * carries the id of the step that reported it.
 *
 * @example
 * ```ts
 * import type { PipelineEvent } from 'ia-connectors';
 * const log = (e: PipelineEvent) => { if (e.type === 'page') console.log(`${e.stepId}: page ${e.page} (${e.items} items)`); };
 * ```
 */
export type PipelineEvent =
  | { type: 'run_started'; pipeline: string; steps: string[] }
  | { type: 'step_started'; stepId: string; stepType: string }
  | { type: 'step_finished'; stepId: string; status: 'succeeded' | 'failed'; durationMs: number; attempts?: number; error?: StepError }
  | { type: 'step_skipped'; stepId: string; reason: string }
  | (StepProgress & { stepId: string })
  | { type: 'run_finished'; status: 'succeeded' | 'failed'; durationMs: number };

/**
 * Options of {@link runPipeline}.
 *
 * @example
 * ```ts
 * import type { RunOptions } from 'ia-connectors';
 * declare const connectors: import('ia-connectors').ConnectorLookup;
 * const o: RunOptions = { connectors, parameters: { username: 'ada' }, signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface RunOptions {
  /** Where `api_call` finds connectors by name (the connector registry). */
  connectors: ConnectorLookup;
  /** Override the pipeline's default `parameters`. */
  parameters?: Record<string, unknown>;
  /** The run input, read by `{{ pipeline_input.x }}`. */
  input?: Record<string, unknown>;
  /** Step types; defaults to {@link createStepRegistry}() (api_call, foreach). */
  steps?: StepTypes;
  /** Aborts running steps and starts no new ones; the run ends `failed` with `ABORTED`. */
  signal?: AbortSignal;
  /** Progress events; a listener that throws is reported as a warning, never breaks the run. */
  onEvent?: (event: PipelineEvent) => void;
  /** Keeps finished steps' records so that a run started again resumes instead of redoing them. */
  checkpoint?: RunCheckpoint;
}

/**
 * Where a run keeps the records of its finished steps. A run given `restored` records
 * does not run those steps again: their results feed templates and conditions as if
 * they had just finished, and they emit no events (the earlier attempt reported them).
 * A record must survive a JSON round trip.
 *
 * @example
 * ```ts
 * import type { RunCheckpoint, StepRecord } from 'ia-connectors';
 * const saved = new Map<string, StepRecord>();
 * const checkpoint: RunCheckpoint = {
 *   restored: Object.fromEntries(saved),
 *   save: async (stepId, record) => void saved.set(stepId, record),
 * };
 * ```
 */
export interface RunCheckpoint {
  /** Records of the steps an earlier attempt of this run finished (succeeded or failed). */
  readonly restored?: Readonly<Record<string, StepRecord>>;
  /**
   * Saves a finished step's record. The steps after it start once this resolves; a
   * rejection fails the run, since a result that cannot be kept cannot be resumed from.
   */
  save(stepId: string, record: StepRecord): Promise<void>;
}
