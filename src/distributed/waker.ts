/**
 * Lets a waiting fan-out sleep until one of its item jobs finishes (QueueEvents call
 * `wake`) or a poll interval passes, whichever comes first; the interval covers
 * events missed while a connection was down.
 *
 * @example
 * ```ts
 * import { Waker } from './waker.js';
 * const waker = new Waker();
 * setTimeout(() => waker.wake('r1.fan'), 10);
 * await waker.wait('r1.fan', 1000);
 * ```
 */
export class Waker {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Wakes everything waiting on `key`. */
  wake(key: string): void {
    for (const resume of this.#waiting.get(key) ?? []) resume();
  }

  /** Resolves on `wake(key)`, after `ms`, or when `signal` aborts. */
  wait(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(key) ?? new Set<() => void>();
      this.#waiting.set(key, waiting);
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiting.delete(done);
        if (waiting.size === 0) this.#waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      waiting.add(done);
      if (signal?.aborted) done();
    });
  }
}
