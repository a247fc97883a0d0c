import type { BreakerSettings } from './breaker-types.js';

const BUCKETS = 10;
const EMPTY = 0;
const SUCCESS = 1;
const FAILURE = 2;

/**
 * Recent outcomes for a rate-mode breaker: the last `windowSize` calls (a ring with
 * running totals, O(1) per call), or the calls of the last `windowMs` in ten time
 * buckets. Memory stays constant however many calls pass.
 *
 * @example
 * ```ts
 * import { OutcomeWindow } from 'ia-connectors';
 * const w = new OutcomeWindow(20, 60_000);
 * w.add(true, Date.now());
 * w.counts(Date.now()); // { total: 1, failures: 1 }
 * ```
 */
export class OutcomeWindow {
  readonly #ring: Uint8Array | undefined;
  #next = 0;
  #total = 0;
  #failures = 0;
  readonly #bucketMs: number;
  /** Time buckets: start, total, failures. */
  #buckets: [number, number, number][] = [];

  constructor(windowSize: number | undefined, windowMs: number) {
    this.#ring = windowSize === undefined ? undefined : new Uint8Array(windowSize);
    this.#bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
  }

  /** A window shaped by the settings' rate-mode fields. */
  static of(settings: BreakerSettings): OutcomeWindow {
    return new OutcomeWindow(settings.windowSize, settings.windowMs);
  }

  /** Records one call. */
  add(failure: boolean, now: number): void {
    const ring = this.#ring;
    if (ring) {
      const old = ring[this.#next];
      if (old !== EMPTY) this.#total -= 1;
      if (old === FAILURE) this.#failures -= 1;
      ring[this.#next] = failure ? FAILURE : SUCCESS;
      this.#next = (this.#next + 1) % ring.length;
      this.#total += 1;
      if (failure) this.#failures += 1;
      return;
    }
    const start = now - (now % this.#bucketMs);
    const last = this.#buckets.at(-1);
    if (last && last[0] === start) {
      last[1] += 1;
      if (failure) last[2] += 1;
    } else {
      this.#buckets.push([start, 1, failure ? 1 : 0]);
    }
    this.#expire(now);
  }

  /** Calls and failures in the window at `now`. */
  counts(now: number): { total: number; failures: number } {
    if (this.#ring) return { total: this.#total, failures: this.#failures };
    this.#expire(now);
    let total = 0;
    let failures = 0;
    for (const bucket of this.#buckets) {
      total += bucket[1];
      failures += bucket[2];
    }
    return { total, failures };
  }

  /** Forgets every outcome. */
  clear(): void {
    this.#ring?.fill(EMPTY);
    this.#next = 0;
    this.#total = 0;
    this.#failures = 0;
    this.#buckets = [];
  }

  /** Oldest first, for a snapshot: `[start, total, failures]` per bucket, or `[0, 1, failed]` per call. */
  toJSON(): [number, number, number][] {
    const ring = this.#ring;
    if (!ring) return this.#buckets.map((b) => [...b]);
    const out: [number, number, number][] = [];
    for (let i = 0; i < ring.length; i++) {
      const value = ring[(this.#next + i) % ring.length];
      if (value !== EMPTY) out.push([0, 1, value === FAILURE ? 1 : 0]);
    }
    return out;
  }

  /** Loads entries from a snapshot, keeping only what still fits the window. */
  load(entries: readonly (readonly [number, number, number])[], now: number): void {
    this.clear();
    if (this.#ring) {
      for (const [, total, failures] of entries) for (let i = 0; i < total; i++) this.add(i < failures, now);
      return;
    }
    this.#buckets = entries.map(([start, total, failures]) => [start, total, failures]);
    this.#expire(now);
  }

  #expire(now: number): void {
    const oldest = now - this.#bucketMs * BUCKETS;
    let drop = 0;
    while (drop < this.#buckets.length && (this.#buckets[drop] as [number, number, number])[0] <= oldest) drop += 1;
    if (drop > 0) this.#buckets.splice(0, drop);
  }
}
