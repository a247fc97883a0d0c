import type { ObservedAttributes } from '../../core/observer.js';
import type { ObservedMessage, ObservedProtocol } from '../observer.js';

/**
 * One step as a run report records it; `key` tells apart steps that share an id.
 *
 * @example
 * ```ts
 * import type { ReportStep } from 'ia-connectors';
 * const s: ReportStep = { key: 's1', stepId: 'load', stepType: 'api_call', start: 0, end: 40, status: 'succeeded' };
 * ```
 */
export interface ReportStep {
  key: string;
  stepId: string;
  stepType?: string;
  /** Milliseconds since the run started. */
  start?: number;
  end?: number;
  status: 'running' | 'succeeded' | 'failed' | 'skipped';
  error?: { code: string; message: string };
  attempts?: number;
  /** Why a skipped step was skipped. */
  reason?: string;
}

/**
 * A policy event inside a call (retry, rate-limit wait, refusal), timed since the run started.
 *
 * @example
 * ```ts
 * import type { ReportEvent } from 'ia-connectors';
 * const e: ReportEvent = { name: 'retry', time: 12, attributes: { attempt: 2, 'retry.delay_ms': 100 } };
 * ```
 */
export interface ReportEvent {
  name: string;
  time: number;
  attributes: ObservedAttributes;
}

/**
 * One attempt of a call; `response` is kept for failed attempts (the 503 before the 200).
 *
 * @example
 * ```ts
 * import type { ReportAttempt } from 'ia-connectors';
 * const a: ReportAttempt = { attempt: 1, start: 2, end: 14, ok: false, status: 503 };
 * ```
 */
export interface ReportAttempt {
  attempt: number;
  start: number;
  end?: number;
  ok?: boolean;
  status?: number;
  error?: { code: string; message: string };
  response?: ObservedMessage;
}

/**
 * One connector call, attributed to the step it ran in (`step` is a {@link ReportStep}
 * key, `null` outside any step), with its redacted request and response.
 *
 * @example
 * ```ts
 * import type { ReportCall } from 'ia-connectors';
 * const c: ReportCall = { id: 'c1', step: 's1', connector: 'users', protocol: 'rest', name: 'GET /users/{id}', attributes: {}, start: 1, attempts: [], events: [] };
 * ```
 */
export interface ReportCall {
  id: string;
  step: string | null;
  connector: string;
  protocol: ObservedProtocol;
  name: string;
  attributes: ObservedAttributes;
  start: number;
  end?: number;
  ok?: boolean;
  status?: number;
  error?: { code: string; message: string };
  attempts: ReportAttempt[];
  events: ReportEvent[];
  /** Attempts and events beyond the per-call limit, counted but not kept. */
  omitted?: { attempts: number; events: number };
  request?: ObservedMessage;
  response?: ObservedMessage;
}

/**
 * Everything a run report page shows, embedded in it as JSON. Times are milliseconds
 * since `startedAt` (epoch ms).
 *
 * @example
 * ```ts
 * import type { ReportData } from 'ia-connectors';
 * declare const data: ReportData;
 * console.log(data.counts.calls, data.omitted.calls);
 * ```
 */
export interface ReportData {
  version: 1;
  title: string;
  pipeline?: string;
  status: 'succeeded' | 'failed' | 'running';
  startedAt: number;
  generatedAt: number;
  durationMs: number;
  error?: { code: string; message: string; stepId?: string };
  counts: { steps: number; succeeded: number; failed: number; skipped: number; calls: number; failedCalls: number; attempts: number; retries: number; waits: number; rejections: number };
  steps: ReportStep[];
  calls: ReportCall[];
  /** What the limits left out. */
  omitted: { calls: number; steps: number; bodies: number };
  limits: { maxCalls: number; maxSteps: number; maxBodyBytes: number };
}
