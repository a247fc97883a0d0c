// The distributed module's public API; src/index.ts picks from this list.
export { enqueueRun, type EnqueueRunOptions } from './enqueue.js';
export { followRun, type FollowRunOptions } from './follow.js';
export { runStatus } from './status.js';
export { startWorker, type StartWorkerOptions, type DistributedWorker } from './worker.js';
export { WORKER_DEFAULTS, type WorkerSettings } from './worker-settings.js';
export type { RedisTarget } from './connect.js';
export { resolveRedisUrl, redactRedisUrl } from '../policies/stores/redis/redis-url.js';
export { DEFAULT_QUEUE_PREFIX } from './keys.js';
export { withIdempotencyKeys } from './idempotency-keys.js';
export type { DistributedRunEvent, DistributedRunState, ItemJobData, ItemOutcome, RunJobData, RunStatus } from './types.js';
