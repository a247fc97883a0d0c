import { ConnectorError } from '../../../core/errors.js';

/**
 * A running subscription: an async iterator of results. `return()` (also called when a
 * `for await` loop exits early) unsubscribes; a server `complete` ends the iteration;
 * a server `error`, a lost connection that could not be restored, or a consumer too
 * slow for `maxBuffered` make `next()` reject with a typed error, after the results
 * that arrived before it.
 *
 * @example
 * ```ts
 * import type { GraphQLSubscription, GraphQLExecutionResult } from 'ia-connectors';
 * async function firstTwo(sub: GraphQLSubscription<GraphQLExecutionResult<{ tick: number }>>) {
 *   const seen: number[] = [];
 *   for await (const event of sub) if (seen.push(event.data?.tick ?? 0) === 2) break; // break unsubscribes
 *   return seen;
 * }
 * ```
 */
export interface GraphQLSubscription<T> extends AsyncIterableIterator<T>, AsyncDisposable {
  /** Unsubscribes (sends `complete` to the server) and ends the iteration. */
  return(): Promise<IteratorResult<T, undefined>>;
  /** True once the subscription has ended, for whatever reason. */
  readonly closed: boolean;
}

/**
 * The buffer behind a {@link GraphQLSubscription}: producers `push`, `fail` or `end`;
 * the consumer pulls. Bounded: more than `maxBuffered` unread results fail it with
 * `QUEUE_FULL` instead of growing without limit.
 *
 * @example
 * ```ts
 * import { SubscriptionStream } from 'ia-connectors';
 * const stream = new SubscriptionStream<number>(10);
 * stream.push(1);
 * stream.end();
 * for await (const n of stream) console.log(n); // 1
 * ```
 */
export class SubscriptionStream<T> implements GraphQLSubscription<T> {
  #queue: T[] = [];
  #head = 0;
  #waiters: { resolve: (r: IteratorResult<T, undefined>) => void; reject: (e: unknown) => void }[] = [];
  #ended = false;
  #error: unknown;
  #hasError = false;
  #cleanups: (() => void)[] = [];

  constructor(private readonly maxBuffered: number) {}

  get closed(): boolean {
    return this.#ended;
  }

  /** Runs `cleanup` (unsubscribe, unlisten) when the stream ends, or at once if it already has. */
  onEnd(cleanup: () => void): void {
    if (this.#ended) cleanup();
    else this.#cleanups.push(cleanup);
  }

  push(value: T): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value, done: false });
      return;
    }
    if (this.#queue.length - this.#head >= this.maxBuffered) {
      this.fail(
        new ConnectorError('QUEUE_FULL', `the subscription buffered ${this.maxBuffered} unread results; consume them faster or raise subscriptions.maxBuffered`, {
          details: { maxBuffered: this.maxBuffered },
        }),
      );
      return;
    }
    this.#queue.push(value);
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    this.#error = error;
    this.#hasError = true;
    this.#finish();
    const [first, ...rest] = this.#waiters.splice(0);
    if (first) this.#deliverError(first.reject);
    for (const waiter of rest) waiter.resolve({ value: undefined, done: true });
  }

  end(): void {
    if (this.#ended) return;
    this.#finish();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head++] as T;
      if (this.#head > 64 && this.#head * 2 > this.#queue.length) this.#compact();
      return Promise.resolve({ value, done: false });
    }
    if (this.#hasError) return new Promise((_, reject) => this.#deliverError(reject));
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.#queue = [];
    this.#head = 0;
    this.#hasError = false;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T, undefined>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  #finish(): void {
    this.#ended = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  // The error is reported once; afterwards the iterator is simply done.
  #deliverError(reject: (e: unknown) => void): void {
    const error = this.#error;
    this.#hasError = false;
    this.#error = undefined;
    reject(error);
  }

  #compact(): void {
    this.#queue = this.#queue.slice(this.#head);
    this.#head = 0;
  }
}
