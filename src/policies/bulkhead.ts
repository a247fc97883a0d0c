import { parseConfig } from '../core/config.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import { ConnectorError } from '../core/errors.js';
import type { Disposable, TypedEvents } from '../core/events.js';
import { bulkheadConfigSchema, type BulkheadConfig, type BulkheadOptions } from './bulkhead-schema.js';
import { resolveHost, startAttempt, type Policy, type PolicyAttempt, type PolicyHost, type PolicyRunOptions } from './policy.js';
import { abortError } from './sleep.js';
import type { CallSignal } from '../core/call-signal.js';
import type { CallEvents } from '../core/observer.js';

interface Waiter {
  grant: () => void;
  settled: boolean;
}

/**
 * A bulkhead: at most `maxConcurrent` calls run at once, so one slow service
 * cannot take every socket and every caller with it. Up to `maxQueue` calls wait
 * for a slot in arrival order (each at most `maxWait` ms); beyond that a call
 * fails at once with `BULKHEAD_FULL`.
 *
 * @example
 * ```ts
 * import { bulkheadPolicy } from 'ia-connectors';
 * const bulkhead = bulkheadPolicy({ maxConcurrent: 2, maxQueue: 10 });
 * await Promise.all([1, 2, 3].map((n) => bulkhead.execute(() => fetch(`http://127.0.0.1:8080/${n}`))));
 * ```
 */
export class Bulkhead implements Policy {
  readonly #config: BulkheadConfig;
  readonly #name: string;
  readonly #events: TypedEvents<ConnectorEvents>;
  #queue: Waiter[] = [];
  #head = 0;
  #queued = 0;
  #active = 0;

  constructor(config: BulkheadConfig, host?: PolicyHost) {
    const { name, events } = resolveHost(host);
    this.#name = name;
    this.#events = events;
    this.#config = config;
  }

  /** Calls running now. */
  get active(): number {
    return this.#active;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.#queued;
  }

  /** Subscribes to queueing and refusals; dispose the handle to unsubscribe. */
  on(event: 'bulkhead', listener: (payload: ConnectorEvents['bulkhead']) => void): Disposable {
    return this.#events.on(event, listener);
  }

  execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T> = {}): Promise<T> {
    // No async frame when a slot is free: the call chains its release on the attempt.
    if (this.#active < this.#config.maxConcurrent) {
      this.#active += 1;
      return this.#occupy(fn, options);
    }
    return this.#enqueue(options.signal, options.observation).then(() => this.#occupy(fn, options));
  }

  /** Runs `fn` in a slot already taken, and hands the slot on when it settles. */
  #occupy<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T>): Promise<T> {
    return startAttempt(fn, { signal: options.signal, attempt: options.attempt ?? 1, deadline: options.deadline }).then(
      (value) => {
        this.#release();
        return value;
      },
      (error: unknown) => {
        this.#release();
        throw error;
      },
    );
  }

  #enqueue(signal: CallSignal | undefined, observation: CallEvents | undefined): Promise<void> {
    const { maxQueue, maxConcurrent, maxWait } = this.#config;
    if (this.#queued >= maxQueue) {
      this.#emit(true);
      observation?.event('bulkhead.rejected', { 'bulkhead.active': this.#active, 'bulkhead.queued': this.#queued });
      return Promise.reject(
        new ConnectorError('BULKHEAD_FULL', `bulkhead of "${this.#name}" is full: ${maxConcurrent} calls running and ${this.#queued} queued (maxQueue ${maxQueue}); raise bulkhead.maxConcurrent or maxQueue, or send fewer calls at once`, {
          details: { connector: this.#name, active: this.#active, queued: this.#queued },
        }),
      );
    }
    if (signal?.aborted) return Promise.reject(abortError(signal, `the wait for a bulkhead slot of "${this.#name}"`));
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = (error: ConnectorError): void => {
        if (waiter.settled) return;
        waiter.settled = true;
        this.#queued -= 1;
        cleanup();
        reject(error);
      };
      const onAbort = (): void => leave(abortError(signal as CallSignal, `the wait for a bulkhead slot of "${this.#name}"`));
      const cleanup = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        settled: false,
        grant: () => {
          cleanup();
          resolve();
        },
      };
      this.#queue.push(waiter);
      this.#queued += 1;
      // Waiters that gave up stay in the array until passed; drop them before they pile up.
      if (this.#queue.length - this.#head > 2 * this.#queued + 1024) {
        this.#queue = this.#queue.slice(this.#head).filter((w) => !w.settled);
        this.#head = 0;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (maxWait !== undefined) {
        timer = setTimeout(
          () =>
            leave(
              new ConnectorError('BULKHEAD_FULL', `waited ${maxWait} ms for a bulkhead slot of "${this.#name}" (bulkhead.maxWait) with ${maxConcurrent} calls running; raise maxConcurrent or maxWait`, {
                details: { connector: this.#name, active: this.#active, queued: this.#queued, waitedMs: maxWait },
              }),
            ),
          maxWait,
        );
      }
      this.#emit(false);
      observation?.event('bulkhead.wait', { 'bulkhead.active': this.#active, 'bulkhead.queued': this.#queued });
    });
  }

  #release(): void {
    // Hand the slot straight to the next live waiter, so a newcomer cannot overtake the queue.
    while (this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head] as Waiter;
      this.#head += 1;
      if (waiter.settled) continue;
      waiter.settled = true;
      this.#queued -= 1;
      this.#compact();
      waiter.grant();
      return;
    }
    this.#compact();
    this.#active -= 1;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    } else if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
  }

  #emit(rejected: boolean): void {
    if (this.#events.has('bulkhead')) {
      this.#events.emit('bulkhead', { connector: this.#name, active: this.#active, queued: this.#queued, rejected });
    }
  }
}

/**
 * Validates `options` (a `CONFIG` error names each bad field) and creates a
 * {@link Bulkhead}.
 *
 * @example
 * ```ts
 * import { bulkheadPolicy } from 'ia-connectors';
 * const bulkhead = bulkheadPolicy({ maxConcurrent: 16, maxQueue: 64, maxWait: 2000 });
 * ```
 */
export function bulkheadPolicy(options: BulkheadOptions, host?: PolicyHost): Bulkhead {
  return new Bulkhead(parseConfig(bulkheadConfigSchema, options, 'bulkhead'), host);
}
