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

/**
 * What a deadline can fire instead of a callback: an object that expires itself, so a
 * caller that already has a per-call object needs no closure for its deadline.
 *
 * @example
 * ```ts
 * import { scheduleDeadline, type Expiring } from 'ia-connectors';
 * const job: Expiring = { expire: () => console.log('late') };
 * scheduleDeadline(5000, job).cancel();
 * ```
 */
export interface Expiring {
  expire(): void;
}

class Entry implements ScheduledDeadline {
  /** Dropped once done, so a finished entry still in the array pins nothing it guarded. */
  fire: (() => void) | Expiring | undefined;
  /** True once moved from the young batch into the long-lived queue. */
  promoted = false;

  constructor(
    readonly at: number,
    fire: (() => void) | Expiring,
    private readonly queue: DeadlineQueue,
  ) {
    this.fire = fire;
  }

  get done(): boolean {
    return this.fire === undefined;
  }

  cancel(): void {
    if (this.fire === undefined) return;
    this.fire = undefined;
    this.queue.cancelled(this);
  }
}

/**
 * Deadlines of one duration arrive in start order, so their expiry times are already
 * sorted: a FIFO queue with one timer armed for its head replaces a timer per call.
 * A cancelled head is dropped at once; the timer is re-armed only when it fires, and
 * an emptied queue keeps its timer until then, so back-to-back calls do not create
 * and clear a timer each.
 *
 * New entries go to a small, freshly allocated batch first; only entries still
 * pending when the batch fills (or the timer fires) move to the long-lived queue.
 * Most calls end while their entry is in the batch, so they never get written into a
 * long-lived array — such writes kept short-lived objects alive through garbage
 * collections and cost more per call than everything else here.
 */
class DeadlineQueue {
  readonly #entries: (Entry | undefined)[] = [];
  #head = 0;
  #batch: Entry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #armedFor = 0;
  /** Entries cancelled behind a live head; swept in bulk so a long call cannot pin memory. */
  #doneBehindHead = 0;

  constructor(private readonly onIdle: (queue: DeadlineQueue) => void) {}

  /** Entries still pending. */
  get live(): number {
    let live = 0;
    for (let i = this.#head; i < this.#entries.length; i++) if (this.#entries[i]?.done === false) live++;
    for (const entry of this.#batch) if (!entry.done) live++;
    return live;
  }

  /** Entries held, finished ones not yet swept included. */
  get size(): number {
    return this.#entries.length - this.#head + this.#batch.length;
  }

  add(ms: number, fire: (() => void) | Expiring): Entry {
    const entry = new Entry(performance.now() + ms, fire, this);
    if (this.#batch.push(entry) >= BATCH) this.#promoteBatch();
    if (this.#timer === undefined) this.#arm(entry.at, ms);
    return entry;
  }

  cancelled(entry: Entry): void {
    if (!entry.promoted) return;
    if (this.#entries[this.#head] === entry) this.#dropDoneHeads();
    else if (++this.#doneBehindHead > 1024 && this.#doneBehindHead * 2 > this.size) this.#sweep();
  }

  #promoteBatch(): void {
    const batch = this.#batch;
    this.#batch = [];
    for (const entry of batch) {
      if (entry.done) continue;
      entry.promoted = true;
      this.#entries.push(entry);
    }
  }

  #arm(at: number, ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, ms));
    this.#timer.unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    this.#promoteBatch();
    // The timer is the authority for the entry it was armed for, even if the clock reads a hair earlier.
    const now = Math.max(performance.now(), this.#armedFor);
    let entry = this.#entries[this.#head];
    while (entry && (entry.done || entry.at <= now)) {
      const fire = entry.fire;
      entry.fire = undefined;
      this.#entries[this.#head++] = undefined;
      if (typeof fire === 'function') fire();
      else fire?.expire();
      entry = this.#entries[this.#head];
    }
    this.#compact();
    if (entry) this.#arm(entry.at, entry.at - now);
    else this.onIdle(this);
  }

  #dropDoneHeads(): void {
    let entry = this.#entries[this.#head];
    while (entry?.done) {
      this.#entries[this.#head++] = undefined;
      entry = this.#entries[this.#head];
    }
    this.#compact();
  }

  #sweep(): void {
    const live = this.#entries.slice(this.#head).filter((e) => e !== undefined && !e.done);
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
    } else if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

const BATCH = 256;
const queues = new Map<number, DeadlineQueue>();

/**
 * Calls `fire` (or `fire.expire()`) after `ms` unless cancelled first. Costs one small
 * object per call instead of a native timer: deadlines of equal duration share one timer.
 *
 * @example
 * ```ts
 * import { scheduleDeadline } from 'ia-connectors';
 * const deadline = scheduleDeadline(30_000, () => controller.abort());
 * try { await work(); } finally { deadline.cancel(); }
 * ```
 */
export function scheduleDeadline(ms: number, fire: (() => void) | Expiring): ScheduledDeadline {
  const key = Math.max(0, Math.round(ms));
  let queue = queues.get(key);
  if (!queue) {
    queue = new DeadlineQueue((idle) => {
      if (idle.size === 0 && queues.get(key) === idle) queues.delete(key);
    });
    queues.set(key, queue);
  }
  return queue.add(key, fire);
}

/**
 * How many deadline queues exist, how many deadlines are pending, and how many entries
 * they hold in all (finished ones not yet dropped included) — for leak checks in
 * tests and benchmarks.
 *
 * @example
 * ```ts
 * import { deadlineQueueStats } from 'ia-connectors';
 * deadlineQueueStats(); // { queues: 0, pending: 0, entries: 0 } when nothing is pending
 * ```
 */
export function deadlineQueueStats(): { queues: number; pending: number; entries: number } {
  let entries = 0;
  let pending = 0;
  for (const queue of queues.values()) {
    entries += queue.size;
    pending += queue.live;
  }
  return { queues: queues.size, pending, entries };
}
