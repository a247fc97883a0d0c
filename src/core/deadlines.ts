/**
 * A scheduled deadline; `cancel()` when the guarded work ends first.
 *
 * @example
 * ```ts
 * import { scheduleDeadline } from 'ia-connectors';
 * const d = scheduleDeadline(5000, () => console.log('late'));
 * d.cancel();
 * ```
 */
export interface ScheduledDeadline {
  cancel(): void;
}

interface Entry extends ScheduledDeadline {
  readonly at: number;
  readonly fire: () => void;
  done: boolean;
}

/**
 * Deadlines of one duration arrive in start order, so their expiry times are already
 * sorted: a FIFO queue with one timer armed for its head replaces a timer per call.
 * A cancelled head is dropped at once; the timer is re-armed only when it fires.
 */
class DeadlineQueue {
  readonly #entries: Entry[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  #armedFor = 0;
  /** Entries cancelled behind a live head; swept in bulk so a long call cannot pin memory. */
  #doneBehindHead = 0;

  constructor(private readonly onEmpty: () => void) {}

  /** Entries held, finished ones not yet swept included. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  add(ms: number, fire: () => void): Entry {
    const entry: Entry = {
      at: performance.now() + ms,
      fire,
      done: false,
      cancel: () => {
        if (entry.done) return;
        entry.done = true;
        if (this.#entries[this.#head] === entry) this.#dropDoneHeads();
        else if (++this.#doneBehindHead > 1024 && this.#doneBehindHead * 2 > this.#entries.length - this.#head) this.#sweep();
      },
    };
    this.#entries.push(entry);
    if (this.#timer === undefined) this.#arm(entry.at, ms);
    return entry;
  }

  #arm(at: number, ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, ms));
    this.#timer.unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    // The timer is the authority for the entry it was armed for, even if the clock reads a hair earlier.
    const now = Math.max(performance.now(), this.#armedFor);
    let entry = this.#entries[this.#head];
    while (entry && (entry.done || entry.at <= now)) {
      if (!entry.done) {
        entry.done = true;
        entry.fire();
      }
      entry = this.#entries[++this.#head];
    }
    this.#compact();
    if (entry) this.#arm(entry.at, entry.at - now);
  }

  #dropDoneHeads(): void {
    let entry = this.#entries[this.#head];
    while (entry?.done) entry = this.#entries[++this.#head];
    this.#compact();
  }

  #sweep(): void {
    const live = this.#entries.slice(this.#head).filter((e) => !e.done);
    this.#entries.length = 0;
    this.#entries.push(...live);
    this.#head = 0;
    this.#doneBehindHead = 0;
  }

  #compact(): void {
    if (this.#head === this.#entries.length) {
      this.#entries.length = 0;
      this.#head = 0;
      this.#doneBehindHead = 0;
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.onEmpty();
    } else if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

const queues = new Map<number, DeadlineQueue>();

/**
 * Calls `fire` after `ms` unless cancelled first. Costs one small object per call
 * instead of a native timer: deadlines of equal duration share one timer.
 *
 * @example
 * ```ts
 * import { scheduleDeadline } from 'ia-connectors';
 * const deadline = scheduleDeadline(30_000, () => controller.abort());
 * try { await work(); } finally { deadline.cancel(); }
 * ```
 */
export function scheduleDeadline(ms: number, fire: () => void): ScheduledDeadline {
  const key = Math.max(0, Math.round(ms));
  let queue = queues.get(key);
  if (!queue) {
    queue = new DeadlineQueue(() => queues.delete(key));
    queues.set(key, queue);
  }
  return queue.add(key, fire);
}

/**
 * How many deadline queues exist and how many entries they hold (finished ones not
 * yet swept included) — for leak checks in tests and benchmarks.
 *
 * @example
 * ```ts
 * import { deadlineQueueStats } from 'ia-connectors';
 * deadlineQueueStats(); // { queues: 0, entries: 0 } when nothing is pending
 * ```
 */
export function deadlineQueueStats(): { queues: number; entries: number } {
  let entries = 0;
  for (const queue of queues.values()) entries += queue.size;
  return { queues: queues.size, entries };
}
