import { isConnectorError } from '../../core/errors.js';
import { resolveRedisUrl } from '../../policies/stores/redis/redis-url.js';
import { runStatus } from '../../distributed/status.js';
import type { RunStatus } from '../../distributed/types.js';
import { formatError } from '../format-error.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { formatDuration } from '../progress/describe.js';
import { table } from '../summary.js';
import { writeLines, type CommandContext } from './context.js';
import { whole } from './worker.js';

/**
 * Options of `ia-connectors status`.
 *
 * @example
 * ```ts
 * import type { StatusCommandOptions } from './status.js';
 * const o: StatusCommandOptions = { redis: 'redis://127.0.0.1:6379', json: true };
 * ```
 */
export interface StatusCommandOptions {
  redis: string;
  prefix?: string;
  connectTimeout?: string;
  json?: boolean;
}

/**
 * `ia-connectors status <run id> --redis <url>`: prints a distributed run's state,
 * its steps (with items done per foreach step) and its error, or the whole status as
 * JSON. Exit 0 for a queued, running or succeeded run, 1 for a failed one, 2 for an
 * unknown id.
 *
 * @example
 * ```ts
 * import { statusCommand } from './status.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await statusCommand('5f0c…', { redis: 'redis://127.0.0.1:6379' }, ctx);
 * ```
 */
export async function statusCommand(runId: string, options: StatusCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const redis = await resolveRedisUrl(options.redis, { env: io.env, option: '--redis' });
  let status: RunStatus;
  try {
    status = await runStatus(runId, {
      redis,
      connectTimeoutMs: whole(options.connectTimeout, '--connect-timeout', 5000),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
  } catch (error) {
    // An unknown id is a mistake in the command line, like an unknown connector name.
    if (!isConnectorError(error) || error.code !== 'UNKNOWN_RUN') throw error;
    writeLines(io.stderr, formatError(error, { verbose: ctx.verbose }));
    return EXIT_CODES.badInput;
  }
  if (options.json) {
    const { result: _result, ...rest } = status;
    io.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
  } else {
    writeLines(io.stdout, statusLines(status));
  }
  return status.state === 'failed' ? EXIT_CODES.failed : EXIT_CODES.ok;
}

/**
 * A run's status for people: a header, one row per step, and the error.
 *
 * @example
 * ```ts
 * import { statusLines } from './status.js';
 * declare const status: import('ia-connectors').RunStatus;
 * console.log(statusLines(status).join('\n'));
 * ```
 */
export function statusLines(status: RunStatus): string[] {
  const worker = status.worker === undefined ? '' : ` on ${status.worker}`;
  const attempts = status.attempts > 1 ? ` (attempt ${status.attempts})` : '';
  const took = status.result ? ` in ${formatDuration(status.result.durationMs)}` : '';
  const rows = status.steps.map((s) => [s.id, s.status, s.items ? `${s.items.done}/${s.items.total}` : '-']);
  const lines = [
    `run ${status.runId}: ${status.state}${took}${worker}${attempts}`,
    `pipeline "${status.pipeline}", ${status.stepsDone}/${status.steps.length} steps done, enqueued ${status.enqueuedAt ?? '?'}`,
    '',
    ...table([['STEP', 'STATUS', 'ITEMS'], ...rows]),
  ];
  const { error } = status;
  if (error) {
    const named = error.stepId === undefined || error.message.startsWith(`step "${error.stepId}"`);
    lines.push('', `error ${error.code}: ${named ? '' : `step "${error.stepId}": `}${error.message}`);
  }
  return lines;
}
