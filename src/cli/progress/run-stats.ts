import type { ConnectorEvents } from '../../core/connector-events.js';
import type { PipelineEvent } from '../../pipeline/run-types.js';

/**
 * A connector event as the CLI receives it, tagged with its kind.
 *
 * @example
 * ```ts
 * import type { ConnectorActivity } from './run-stats.js';
 * const a: ConnectorActivity = { kind: 'retry', payload: { connector: 'users_api', attempt: 2, delayMs: 150, reason: 'status 503' } };
 * ```
 */
export type ConnectorActivity =
  | { kind: 'retry'; payload: ConnectorEvents['retry'] }
  | { kind: 'rateLimited'; payload: ConnectorEvents['rateLimited'] }
  | { kind: 'circuitStateChange'; payload: ConnectorEvents['circuitStateChange'] }
  | { kind: 'authRefresh'; payload: ConnectorEvents['authRefresh'] };

interface StepStats {
  pages: number;
  pageItems: number;
  foreachTotal?: number;
  foreachDone: number;
}

/**
 * Counts what a run did, from the runner's events and the connectors' events: steps
 * finished, pages and items fetched, retries, and rate-limit waits (the client's
 * limiter, and 429 answers whose wait the retry honoured).
 *
 * @example
 * ```ts
 * import { RunStats } from './run-stats.js';
 * const stats = new RunStats();
 * stats.pipeline({ type: 'run_started', pipeline: 'p', steps: ['a'] });
 * stats.stepsTotal; // 1
 * ```
 */
export class RunStats {
  stepsTotal = 0;
  stepsDone = 0;
  pages = 0;
  items = 0;
  retries = 0;
  waits = 0;
  waitedMs = 0;
  tokens = 0;
  readonly running = new Set<string>();
  readonly #steps = new Map<string, StepStats>();

  /** Takes one runner event. */
  pipeline(event: PipelineEvent): void {
    switch (event.type) {
      case 'run_started':
        this.stepsTotal = event.steps.length;
        break;
      case 'step_started':
        this.running.add(event.stepId);
        break;
      case 'step_finished':
      case 'step_skipped':
        this.running.delete(event.stepId);
        this.stepsDone += 1;
        break;
      case 'page': {
        const step = this.#step(event.stepId);
        step.pages += 1;
        step.pageItems += event.items;
        this.pages += 1;
        this.items += event.items;
        break;
      }
      case 'items': {
        const step = this.#step(event.stepId);
        step.foreachTotal = event.total;
        step.foreachDone = event.completed;
        break;
      }
      default:
        break;
    }
  }

  /** Takes one connector event. */
  connector(activity: ConnectorActivity): void {
    if (activity.kind === 'retry') {
      this.retries += 1;
      if (activity.payload.reason.includes('429')) this.#wait(activity.payload.delayMs);
    } else if (activity.kind === 'rateLimited' && !activity.payload.rejected) {
      this.#wait(activity.payload.waitMs);
    } else if (activity.kind === 'authRefresh') {
      this.tokens += 1;
    }
  }

  /** Items a step handled: its pages' items, or its foreach items, when it reported them. */
  itemsOf(stepId: string): number | undefined {
    const step = this.#steps.get(stepId);
    if (!step) return undefined;
    if (step.pages > 0) return step.pageItems;
    return step.foreachTotal;
  }

  /** Progress of a running foreach step, as `done/total`. */
  foreachOf(stepId: string): string | undefined {
    const step = this.#steps.get(stepId);
    return step?.foreachTotal === undefined ? undefined : `${step.foreachDone}/${step.foreachTotal}`;
  }

  #wait(ms: number): void {
    this.waits += 1;
    this.waitedMs += ms;
  }

  #step(id: string): StepStats {
    let step = this.#steps.get(id);
    if (!step) {
      step = { pages: 0, pageItems: 0, foreachDone: 0 };
      this.#steps.set(id, step);
    }
    return step;
  }
}
