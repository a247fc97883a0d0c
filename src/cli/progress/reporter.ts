import { MultiBar } from 'cli-progress';
import type { PipelineEvent } from '../../pipeline/run-types.js';
import type { CliOutput } from '../io.js';
import { activityLine, describeConnectorActivity, describePipelineEvent } from './describe.js';
import { RunStats, type ConnectorActivity } from './run-stats.js';

/**
 * Shows a run's progress and keeps its {@link RunStats}.
 *
 * @example
 * ```ts
 * import { createReporter } from './reporter.js';
 * const reporter = createReporter(process.stderr);
 * reporter.pipeline({ type: 'run_started', pipeline: 'p', steps: ['a'] });
 * reporter.stop();
 * ```
 */
export interface Reporter {
  readonly stats: RunStats;
  pipeline(event: PipelineEvent): void;
  connector(activity: ConnectorActivity): void;
  /** Ends the display; always call it, it stops the redraw timer. */
  stop(): void;
}

/**
 * A live bar on a terminal (steps done, pages and items, retries, rate-limit waits,
 * running steps, with notable events logged above it), plain lines otherwise, or
 * nothing with `quiet`.
 *
 * @example
 * ```ts
 * import { createReporter } from './reporter.js';
 * const reporter = createReporter(process.stderr, { quiet: false });
 * ```
 */
export function createReporter(out: CliOutput, options: { quiet?: boolean } = {}): Reporter {
  const stats = new RunStats();
  if (options.quiet) return { stats, pipeline: (e) => stats.pipeline(e), connector: (a) => stats.connector(a), stop: () => {} };
  return out.isTTY ? liveReporter(out, stats) : lineReporter(out, stats);
}

function lineReporter(out: CliOutput, stats: RunStats): Reporter {
  return {
    stats,
    pipeline(event) {
      stats.pipeline(event);
      const line = describePipelineEvent(event);
      if (line !== undefined) out.write(`${line}\n`);
    },
    connector(activity) {
      stats.connector(activity);
      out.write(`${describeConnectorActivity(activity)}\n`);
    },
    stop() {},
  };
}

// Events worth a line above the bar; the rest only move the bar.
const LOGGED = new Set<PipelineEvent['type']>(['step_finished', 'step_skipped', 'message']);

function liveReporter(out: CliOutput, stats: RunStats): Reporter {
  // cli-progress only writes and reads isTTY/columns; a captured stream works too.
  const stream = out as unknown as NodeJS.WritableStream;
  const bars = new MultiBar({
    stream,
    format: ' {bar} {value}/{total} steps | {activity}',
    barsize: 20,
    hideCursor: true,
    clearOnComplete: false,
    gracefulExit: false,
    linewrap: false,
    fps: 10,
    barCompleteChar: '#',
    barIncompleteChar: '-',
  });
  const bar = bars.create(1, 0, { activity: activityLine(stats) });
  const redraw = (): void => {
    bar.setTotal(Math.max(stats.stepsTotal, 1));
    bar.update(stats.stepsDone, { activity: activityLine(stats) });
  };
  let stopped = false;
  return {
    stats,
    pipeline(event) {
      stats.pipeline(event);
      if (LOGGED.has(event.type)) bars.log(`${describePipelineEvent(event) ?? ''}\n`);
      redraw();
    },
    connector(activity) {
      stats.connector(activity);
      // The limiter's short waits are counted on the bar; a line each would bury the rest.
      if (activity.kind !== 'rateLimited' || activity.payload.rejected) bars.log(`${describeConnectorActivity(activity)}\n`);
      redraw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      redraw();
      bars.stop();
    },
  };
}
