import type { Redis } from 'ioredis';

/**
 * Wakes waiters when a message naming their id arrives on one Redis pub/sub channel.
 * It listens through one duplicate of the given client, opened on the first wait and
 * shared by every waiter; the given client itself is never put into subscriber mode.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisUpdateChannel } from 'ia-connectors';
 * const redis = new Redis();
 * const updates = new RedisUpdateChannel(redis, 'etl:oauth:token-updates');
 * await updates.wait('some-id', 1_000, async () => false); // until "some-id" is published, or 1 s
 * updates.close();
 * ```
 */
export class RedisUpdateChannel {
  readonly #client: Redis;
  readonly #channel: string;
  readonly #waiters = new Map<string, Set<() => void>>();
  #subscriber: Redis | undefined;
  #subscription: Promise<void> | undefined;
  #closed = false;

  constructor(client: Redis, channel: string) {
    this.#client = client;
    this.#channel = channel;
  }

  /**
   * Resolves when `id` is published, when `settled()` (asked once, as soon as this
   * channel listens) says there is nothing to wait for, or after `timeoutMs`. Never
   * rejects: if Redis cannot be reached, the timeout ends the wait.
   */
  wait(id: string, timeoutMs: number, settled: () => Promise<boolean>): Promise<void> {
    return new Promise<void>((resolve) => {
      let waiters = this.#waiters.get(id);
      if (!waiters) this.#waiters.set(id, (waiters = new Set()));
      const set = waiters;
      const finish = (): void => {
        clearTimeout(timer);
        set.delete(finish);
        if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, timeoutMs));
      set.add(finish);
      if (this.#closed) return;
      // Checked only once listening, so an update right after the check is not missed.
      this.#subscribe()
        .then(settled)
        .then(
          (done) => {
            if (done) finish();
          },
          () => undefined,
        );
    });
  }

  /** Ends the subscriber connection and wakes every waiter; later waits last their timeout. */
  close(): void {
    this.#closed = true;
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#subscription = undefined;
    for (const waiters of [...this.#waiters.values()]) for (const wake of [...waiters]) wake();
    subscriber?.disconnect();
  }

  #subscribe(): Promise<void> {
    this.#subscription ??= this.#open().catch((error: unknown) => {
      this.#subscriber?.disconnect();
      this.#subscriber = undefined;
      this.#subscription = undefined;
      throw error;
    });
    return this.#subscription;
  }

  async #open(): Promise<void> {
    // A fail-fast command client (no offline queue, tight timeouts) would make SUBSCRIBE fail at once.
    const subscriber = this.#client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    this.#subscriber = subscriber;
    // Failures surface as waits that end by their timeout; the listener keeps ioredis from logging them.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, id: string) => {
      if (channel !== this.#channel) return;
      for (const wake of [...(this.#waiters.get(id) ?? [])]) wake();
    });
    await subscriber.subscribe(this.#channel);
  }
}
