import { resolve } from 'node:path';
import { ConnectorError } from '../core/errors.js';
import { Cassette } from '../observability/cassette/store.js';
import { parseLogThreshold, type LogThreshold } from '../observability/logging/levels.js';
import { jsonLogger } from '../observability/logging/json-logger.js';
import { loggerObserver } from '../observability/logging/observer.js';
import type { Observer } from '../observability/observer.js';
import type { Redactor } from '../observability/redact.js';
import { runReport, type RunReport } from '../observability/report/run-report.js';
import type { RunResult } from '../pipeline/run-types.js';
import type { ConnectorExtras } from '../registry/extras.js';
import type { AnyConnector } from '../registry/protocols.js';
import { redactorOf } from '../registry/registry-support.js';
import type { CliIo } from './io.js';

/**
 * The observability flags of `run` and `demo`: structured logs, the HTML run report,
 * and record/replay cassettes.
 *
 * @example
 * ```ts
 * import type { RunExtrasOptions } from './run-extras.js';
 * const o: RunExtrasOptions = { logLevel: 'debug', report: 'run.html', record: 'cassettes' };
 * ```
 */
export interface RunExtrasOptions {
  logLevel?: string;
  report?: string;
  record?: string;
  replay?: string;
}

/**
 * What a run adds to its connectors and steps, built from the flags, and what it
 * finishes afterwards (the cassette files, the report page).
 *
 * @example
 * ```ts
 * import { runExtras } from './run-extras.js';
 * declare const io: import('./io.js').CliIo;
 * const extras = runExtras({ report: 'run.html' }, io);
 * ```
 */
export interface RunExtras {
  readonly connectors: ConnectorExtras;
  readonly observers: readonly Observer[];
  readonly logLevel: LogThreshold;
  /** Give it each connector as it is built: logs and the report then know that connector's secrets. */
  onConnector(connector: AnyConnector): void;
  /** Writes the cassette files and the report (also after a failed run); returns lines for stderr. */
  finish(result: RunResult | undefined, pipeline: string): Promise<string[]>;
}

/**
 * Builds the run's observers and cassette from the flags; bad combinations are
 * `CONFIG` errors naming the flags.
 *
 * @example
 * ```ts
 * import { runExtras } from './run-extras.js';
 * declare const io: import('./io.js').CliIo;
 * const { observers } = runExtras({ logLevel: 'info' }, io);
 * ```
 */
export function runExtras(options: RunExtrasOptions, io: Pick<CliIo, 'cwd' | 'stderr'>): RunExtras {
  if (options.record !== undefined && options.replay !== undefined) {
    throw new ConnectorError('CONFIG', '--record and --replay both given; record a run first, then replay it');
  }
  const logLevel = parseLogThreshold(options.logLevel ?? 'silent', '--log-level');
  const redactors: Redactor[] = [];
  const observers: Observer[] = [];
  if (logLevel !== 'silent') observers.push(loggerObserver(jsonLogger({ level: logLevel, stream: io.stderr, redactor: redactors }), { redactor: redactors }));
  const report: RunReport | undefined = options.report === undefined ? undefined : runReport({ redactor: redactors });
  if (report) observers.push(report.observer);
  const dir = options.record ?? options.replay;
  const cassette = dir === undefined ? undefined : new Cassette({ dir: resolve(io.cwd, dir), mode: options.record !== undefined ? 'record' : 'replay' });
  return {
    connectors: { observers, cassette },
    observers,
    logLevel,
    onConnector(connector) {
      const own = redactorOf(connector);
      if (own) redactors.push(own);
    },
    async finish(result, pipeline) {
      const lines: string[] = [];
      if (cassette?.mode === 'record') {
        await cassette.close();
        lines.push(`cassettes written to ${cassette.dir}`);
      }
      if (report !== undefined && options.report !== undefined) {
        const file = await report.write(resolve(io.cwd, options.report), result, { pipeline });
        lines.push(`run report written to ${file}`);
      }
      return lines;
    },
  };
}

/**
 * Rejects observability flags where they cannot apply (a queued run happens on the
 * workers, which have their own settings).
 *
 * @example
 * ```ts
 * import { assertLocalRunFlags } from './run-extras.js';
 * assertLocalRunFlags({ report: 'run.html' }, '--queue');
 * ```
 */
export function assertLocalRunFlags(options: RunExtrasOptions, mode: string): void {
  const given = (['record', 'replay', 'report'] as const).filter((flag) => options[flag] !== undefined);
  if (given.length > 0) {
    throw new ConnectorError('CONFIG', `${given.map((f) => `--${f}`).join(', ')} cannot be combined with ${mode}: the workers run the pipeline; run it locally to record, replay or report it`);
  }
}
