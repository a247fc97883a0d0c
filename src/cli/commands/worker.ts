import { ConnectorError } from '../../core/errors.js';
import { redactRedisUrl, resolveRedisUrl } from '../../policies/stores/redis/redis-url.js';
import { startWorker } from '../../distributed/worker.js';
import { WORKER_DEFAULTS } from '../../distributed/worker-settings.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import type { CommandContext } from './context.js';

/**
 * Options of `ia-connectors worker` (numbers arrive as text from the command line).
 *
 * @example
 * ```ts
 * import type { WorkerCommandOptions } from './worker.js';
 * const o: WorkerCommandOptions = { connectors: 'connectors.yaml', redis: '${env:REDIS_URL}', concurrency: '8' };
 * ```
 */
export interface WorkerCommandOptions {
  connectors: string;
  redis: string;
  concurrency?: string;
  name?: string;
  prefix?: string;
  lockDuration?: string;
  stalledInterval?: string;
  maxStalledCount?: string;
  connectTimeout?: string;
  quiet?: boolean;
}

/**
 * `ia-connectors worker --connectors <file> --redis <url>`: takes run and item jobs
 * of distributed runs until SIGINT or SIGTERM, then stops taking jobs, hands running
 * runs back to the queue, lets running items finish, and closes its connectors and
 * Redis connections. Logs one line per notable event on stderr.
 *
 * @example
 * ```ts
 * import { workerCommand } from './worker.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await workerCommand({ connectors: 'connectors.yaml', redis: 'redis://127.0.0.1:6379' }, ctx);
 * ```
 */
export async function workerCommand(options: WorkerCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const url = await resolveRedisUrl(options.redis, { env: io.env, option: '--redis' });
  const settings = {
    concurrency: whole(options.concurrency, '--concurrency', WORKER_DEFAULTS.concurrency),
    lockDurationMs: whole(options.lockDuration, '--lock-duration', WORKER_DEFAULTS.lockDurationMs),
    stalledIntervalMs: whole(options.stalledInterval, '--stalled-interval', WORKER_DEFAULTS.stalledIntervalMs),
    maxStalledCount: whole(options.maxStalledCount, '--max-stalled-count', WORKER_DEFAULTS.maxStalledCount),
    connectTimeoutMs: whole(options.connectTimeout, '--connect-timeout', 5000),
  };
  const file = await readConnectorsFile(options.connectors, io.cwd);
  const registry = await registryFor(file, io);
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  try {
    const worker = await startWorker({
      redis: url,
      connectors: registry,
      ...settings,
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      onLog: log,
    });
    io.stderr.write(`worker ${worker.name} ready: ${file.connectors.length} connectors, concurrency ${settings.concurrency}, ${redactRedisUrl(url)}\n`);
    await stopped(io.signal);
    io.stderr.write(`worker ${worker.name} stopping: no new jobs; running runs go back to the queue, running items finish\n`);
    await worker.close();
    io.stderr.write(`worker ${worker.name} stopped\n`);
  } finally {
    await registry.closeAll();
  }
  return EXIT_CODES.ok;
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  // Without a signal (an embedding that never stops it) the worker runs for good.
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * A whole-number option, or its default when absent.
 *
 * @throws `CONFIG` {@link ConnectorError} naming the option.
 * @example
 * ```ts
 * import { whole } from './worker.js';
 * whole('8', '--concurrency', 4); // 8
 * ```
 */
export function whole(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new ConnectorError('CONFIG', `${option} "${text.slice(0, 20)}": give a whole number, e.g. ${option} ${fallback}`);
  return Number(text.trim());
}
