import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import type { WorkerOptions } from 'bullmq';
import type { ConnectorActivity } from '../cli/progress/run-stats.js';
import { observeConnectors } from '../cli/progress/observe-connectors.js';
import { createStepRegistry } from '../pipeline/builtins.js';
import type { ConnectorLookup } from '../pipeline/connectors.js';
import type { StepTypes } from '../pipeline/step-types.js';
import { openRedis, redisOptions, type RedisTarget } from './connect.js';
import { itemJobProcessor } from './item-job.js';
import { DEFAULT_QUEUE_PREFIX, ITEMS_QUEUE, RUNS_QUEUE, parseItemJobId } from './keys.js';
import { loadBullmq } from './load-bullmq.js';
import { runJobProcessor } from './run-job.js';
import { checkWorkerSettings, WORKER_DEFAULTS, type WorkerSettings } from './worker-settings.js';
import { Waker } from './waker.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Options of {@link startWorker}: where Redis is, the worker's own connectors and step
 * types, and how it takes and keeps jobs.
 *
 * @example
 * ```ts
 * import type { StartWorkerOptions } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const o: StartWorkerOptions = { redis: 'redis://127.0.0.1:6379', connectors: registry, concurrency: 8 };
 * ```
 */
export interface StartWorkerOptions extends RedisTarget, Partial<WorkerSettings> {
  /** The connectors this worker calls through (its own connectors file's registry). */
  connectors: ConnectorLookup;
  /** Step types; defaults to {@link createStepRegistry}(). `foreach` always fans out. */
  steps?: StepTypes;
  /** Recorded on the jobs it processes; defaults to `<host>-<pid>`. */
  name?: string;
  /** Receives one line per notable event: runs started, finished, resumed or handed back, items failed, Redis errors. */
  onLog?: (line: string) => void;
}

/**
 * A running worker. `close()` stops taking jobs, hands its running runs back to the
 * queue (another worker resumes them from their checkpoint), lets running items
 * finish, then closes its Redis connections. The connectors are the caller's to close.
 *
 * @example
 * ```ts
 * import type { DistributedWorker } from 'ia-connectors';
 * declare const worker: DistributedWorker;
 * process.once('SIGTERM', () => void worker.close());
 * ```
 */
export interface DistributedWorker extends AsyncDisposable {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * Starts a worker for distributed pipeline runs: BullMQ workers on the `runs` queue
 * (one job per run) and the `items` queue (one job per foreach item), each taking up
 * to `concurrency` jobs at once. Fails within `connectTimeoutMs` when Redis cannot be
 * reached.
 *
 * @example
 * ```ts
 * import { createRegistry, startWorker } from 'ia-connectors';
 * const registry = createRegistry([{ name: 'users_api', baseUrl: 'https://api.example.com' }]);
 * const worker = await startWorker({ redis: 'redis://127.0.0.1:6379', connectors: registry, concurrency: 8 });
 * process.once('SIGTERM', async () => { await worker.close(); await registry.closeAll(); });
 * ```
 */
export async function startWorker(options: StartWorkerOptions): Promise<DistributedWorker> {
  const settings = checkWorkerSettings({ ...WORKER_DEFAULTS, ...definedOnly(options) });
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const log = options.onLog ?? (() => {});
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const { FlowProducer, QueueEvents, Worker } = await loadBullmq();
  const redis = await openRedis(options, (error) => log(`redis: ${error.message}`));
  const connection = redisOptions(options);
  const activity = new AsyncLocalStorage<(activity: ConnectorActivity) => void>();
  const observed = observeConnectors(options.connectors, (event) => activity.getStore()?.(event));
  const flows = new FlowProducer({ connection, prefix });
  const waker = new Waker();
  const events = new QueueEvents(ITEMS_QUEUE, { connection, prefix });
  const wakeFor = ({ jobId }: { jobId: string }) => {
    const item = parseItemJobId(jobId);
    if (item) waker.wake(`${item.runId}.${item.stepId}`);
  };
  events.on('completed', wakeFor);
  events.on('failed', wakeFor);
  const stopping = new AbortController();
  const ctx: WorkerContext = {
    name,
    prefix,
    redis,
    flows,
    waker,
    types: options.steps ?? createStepRegistry(),
    connectors: observed,
    activity,
    retentionSeconds: settings.retentionSeconds,
    pollMs: settings.pollMs,
    stopping: stopping.signal,
    warn: log,
  };
  const common: WorkerOptions = {
    connection,
    prefix,
    name,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
  };
  const runs = new Worker(RUNS_QUEUE, runJobProcessor(ctx), common);
  const items = new Worker(ITEMS_QUEUE, itemJobProcessor(ctx), common);
  const reportError = (error: Error): void => log(`redis: ${error.message}`);
  runs.on('error', reportError);
  items.on('error', reportError);
  events.on('error', reportError);
  flows.on('error', reportError);
  runs.on('active', (job) => log(`run ${job.id} started (attempt ${job.attemptsStarted})`));
  runs.on('completed', (job, result) => log(`run ${job.id} ${result.status}`));
  runs.on('failed', (job, error) => log(`run ${job?.id ?? '?'} failed: ${error.message}`));
  items.on('failed', (job, error) => log(`item ${job?.id ?? '?'} failed: ${error.message}`));
  for (const worker of [runs, items]) worker.on('stalled', (jobId) => log(`job ${jobId} stalled (its worker stopped answering); back in the queue`));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Runs can wait long for their items; they go back to the queue and resume elsewhere.
      stopping.abort();
      await Promise.all([runs.close(), items.close()]);
      await Promise.all([events.close(), flows.close()]);
      observed.dispose();
      await redis.quit().catch(() => redis.disconnect());
    })());
  try {
    await Promise.all([runs.waitUntilReady(), items.waitUntilReady(), events.waitUntilReady(), flows.waitUntilReady()]);
  } catch (error) {
    await close();
    throw error;
  }
  return { name, close, [Symbol.asyncDispose]: close };
}

function definedOnly(options: StartWorkerOptions): Partial<WorkerSettings> {
  const out: Partial<WorkerSettings> = {};
  for (const key of Object.keys(WORKER_DEFAULTS) as (keyof WorkerSettings)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
