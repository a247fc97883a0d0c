import type * as BullMQ from 'bullmq';

let loading: Promise<typeof BullMQ> | undefined;

/**
 * BullMQ, loaded the first time a distributed run needs it: importing the library or
 * running a local pipeline never pays its start-up cost. Every caller gets the same
 * module, so its error classes (`WaitingError`, `UnrecoverableError`) are the ones
 * BullMQ's workers recognise.
 *
 * @example
 * ```ts
 * import { loadBullmq } from './load-bullmq.js';
 * const { Queue } = await loadBullmq();
 * const queue = new Queue('runs', { connection: { url: 'redis://127.0.0.1:6379' } });
 * ```
 */
export function loadBullmq(): Promise<typeof BullMQ> {
  return (loading ??= import('bullmq'));
}
