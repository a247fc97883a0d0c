import type { PipelineEvent } from '../../pipeline/run-types.js';
import type { ConnectorActivity, RunStats } from './run-stats.js';

/**
 * A duration for people: `850 ms`, `1.83 s`, `2 min 5 s`.
 *
 * @example
 * ```ts
 * import { formatDuration } from './describe.js';
 * formatDuration(1830); // '1.83 s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/**
 * The line a runner event deserves in a log, or undefined for events only a live
 * display shows (foreach progress between tenths).
 *
 * @example
 * ```ts
 * import { describePipelineEvent } from './describe.js';
 * describePipelineEvent({ type: 'step_started', stepId: 'load', stepType: 'api_call' }); // 'step load started (api_call)'
 * ```
 */
export function describePipelineEvent(event: PipelineEvent): string | undefined {
  switch (event.type) {
    case 'run_started':
      return `run "${event.pipeline}": ${event.steps.length} step${event.steps.length === 1 ? '' : 's'}`;
    case 'step_started':
      return `step ${event.stepId} started (${event.stepType})`;
    case 'step_finished': {
      const attempts = event.attempts === undefined ? '' : `, ${event.attempts} request${event.attempts === 1 ? '' : 's'}`;
      const failure = event.error ? `: ${event.error.code} ${event.error.message.split('\n')[0] ?? ''}` : '';
      return `step ${event.stepId} ${event.status} in ${formatDuration(event.durationMs)}${attempts}${failure}`;
    }
    case 'step_skipped':
      return `step ${event.stepId} skipped: ${event.reason}`;
    case 'page':
      return `step ${event.stepId} page ${event.page}: ${event.items} item${event.items === 1 ? '' : 's'}`;
    case 'items': {
      const tenth = Math.max(1, Math.ceil(event.total / 10));
      return event.completed === event.total || event.completed % tenth === 0 ? `step ${event.stepId} ${event.completed}/${event.total} items done` : undefined;
    }
    case 'message':
      return `step ${event.stepId}: ${event.message}`;
    case 'run_finished':
      return `run ${event.status} in ${formatDuration(event.durationMs)}`;
  }
}

/**
 * The line a connector event deserves in a log.
 *
 * @example
 * ```ts
 * import { describeConnectorActivity } from './describe.js';
 * describeConnectorActivity({ kind: 'retry', payload: { connector: 'users_api', attempt: 2, delayMs: 150, reason: 'status 503' } });
 * // 'retry users_api: attempt 2 in 150 ms (status 503)'
 * ```
 */
export function describeConnectorActivity(activity: ConnectorActivity): string {
  switch (activity.kind) {
    case 'retry': {
      const { connector, attempt, delayMs, reason } = activity.payload;
      return `retry ${connector}: attempt ${attempt} in ${formatDuration(delayMs)} (${reason})`;
    }
    case 'rateLimited': {
      const { connector, waitMs, rejected } = activity.payload;
      return rejected ? `rate limit ${connector}: call refused, the queue is full` : `rate limit ${connector}: waiting ${formatDuration(waitMs)} for a token`;
    }
    case 'circuitStateChange': {
      const { connector, from, to } = activity.payload;
      return `breaker ${connector}: ${from} -> ${to}`;
    }
    case 'authRefresh': {
      const { connector, strategy, reason } = activity.payload;
      return `auth ${connector}: ${strategy} credentials fetched (${reason})`;
    }
  }
}

/**
 * The one-line activity summary the live display shows beside its bar.
 *
 * @example
 * ```ts
 * import { RunStats } from './run-stats.js';
 * import { activityLine } from './describe.js';
 * activityLine(new RunStats()); // '0 pages, 0 items | 0 retries | 0 waits'
 * ```
 */
export function activityLine(stats: RunStats): string {
  const running = [...stats.running].map((id) => {
    const progress = stats.foreachOf(id);
    return progress ? `${id} ${progress}` : id;
  });
  const waits = stats.waits === 0 ? '0 waits' : `${stats.waits} waits (${formatDuration(stats.waitedMs)})`;
  const base = `${stats.pages} pages, ${stats.items} items | ${stats.retries} retries | ${waits}`;
  return running.length > 0 ? `${base} | ${running.join(', ')}` : base;
}
