import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { BreakerAdmission, BreakerResult, BreakerSettings, BreakerSnapshot, BreakerStore, BreakerTransition, MaybePromise } from '../../breaker-types.js';
import { admitScript, readScript, recordScript, restoreScript } from './breaker-scripts.js';
import { decodeReply, isNewer, settingsArgs, sharedFrom, snapshotOf, type BreakerReply, type SharedBreaker } from './breaker-state.js';
import type { RedisStoreOptions } from './rate-limit.js';

const PASS: BreakerAdmission = { admitted: true, probe: false, transition: undefined };
/** Successes wait at most this long before they reach Redis (or go with the next failure). */
const FLUSH_MS = 50;
/** The shared state is re-read this often, in case a published change was missed. */
const REREAD_MS = 1000;

/**
 * Options of a {@link RedisBreakerStore}: the key prefix, and where failures of its
 * background work (flushing successes, re-reading state) are reported.
 *
 * @example
 * ```ts
 * import type { RedisBreakerStoreOptions } from 'ia-connectors';
 * const o: RedisBreakerStoreOptions = { keyPrefix: 'etl:', onError: (e) => console.warn(e) };
 * ```
 */
export interface RedisBreakerStoreOptions extends RedisStoreOptions {
  onError?: (error: unknown) => void;
}

interface Tracked {
  settings: BreakerSettings;
  shared: SharedBreaker | undefined;
  /** Successes not yet sent, and when the latest of them happened (local clock). */
  pending: number;
  pendingAt: number;
  /** Lease slots of the probes this process runs. */
  slots: number[];
}

/**
 * A {@link BreakerStore} in Redis, shared by every process using the same Redis and key
 * prefix; each method that needs Redis is one Lua script (one round trip).
 *
 * Cheap on the hot path: the process keeps a copy of each breaker's state. While it
 * is closed, `admit` answers from the copy without a round trip, and so does an open
 * breaker before its retry time. A failure is recorded with one round trip; successes
 * are batched and sent within 50 ms, or with this process's next failure, whichever
 * comes first. A batched success resets the consecutive count only if it happened
 * (on the Redis clock) after the last failure counted, so a success that reaches
 * Redis late never undoes later failures; it cannot undo an opening that happened
 * while it was on its way either, which errs on the side of protecting the upstream.
 *
 * Half-open probes are leases (`SET NX PX` inside the admit script), so exactly
 * `halfOpenProbes` calls probe across all processes. Every state change is published
 * from its script; each store subscribes on its own connection and updates its copy,
 * and re-reads the state every second in case a message was missed. `snapshot()` is
 * synchronous and returns the last state seen; the outcome window stays in Redis.
 * Times come from the Redis server's clock and are converted to this process's clock.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisBreakerStore, circuitBreakerPolicy } from 'ia-connectors';
 * const store = new RedisBreakerStore(new Redis('redis://127.0.0.1:6379'));
 * const breaker = circuitBreakerPolicy({ threshold: 5, store }, { name: 'users' });
 * await store.close();
 * ```
 */
export class RedisBreakerStore implements BreakerStore {
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #owner = randomUUID();
  readonly #onError: (error: unknown) => void;
  readonly #tracked = new Map<string, Tracked>();
  /** The Redis server's clock minus this process's, from the latest reply. */
  #offset = 0;
  readonly #reread: NodeJS.Timeout;
  #flush: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(client: Redis, options: RedisBreakerStoreOptions = {}) {
    this.#client = client;
    this.#prefix = `${options.keyPrefix ?? 'iac:'}cb:`;
    this.#channel = `${this.#prefix}changes`;
    this.#onError = options.onError ?? (() => undefined);
    for (const script of [admitScript, recordScript, readScript, restoreScript]) script.define(client);
    // A subscribed connection can do nothing else; commands wait in its queue until it is connected.
    this.#subscriber = client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null, lazyConnect: false });
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('message', (_channel: string, message: string) => this.#onMessage(message));
    this.#subscriber.subscribe(this.#channel).catch(() => undefined);
    this.#reread = setInterval(() => this.#rereadAll(), REREAD_MS).unref();
  }

  admit(key: string, _now: number, settings: BreakerSettings): MaybePromise<BreakerAdmission> {
    const tracked = this.#track(key, settings);
    const shared = tracked.shared;
    if (shared?.state === 'closed') return PASS;
    if (shared?.state === 'open' && Date.now() < shared.retryAt) {
      return { admitted: false, state: 'open', retryAt: shared.retryAt, reason: shared.reason ?? 'open' };
    }
    return admitScript.run(this.#client, this.#keys(key), [...this.#args(key, settings), this.#owner]).then((raw) => {
      const reply = this.#apply(key, raw);
      const [verdict, slot, retryAt] = reply.extra;
      if (verdict === 'pass') return reply.transition ? { admitted: true, probe: false, transition: reply.transition } : PASS;
      if (verdict === 'probe') {
        tracked.slots.push(slot);
        return { admitted: true, probe: true, transition: reply.transition };
      }
      const state = reply.shared.state === 'half-open' ? 'half-open' : 'open';
      const reason = state === 'half-open' ? 'a probe call is testing the service' : (reply.shared.reason ?? 'open');
      return { admitted: false, state, retryAt: state === 'open' ? reply.shared.retryAt : retryAt, reason };
    });
  }

  record(key: string, _now: number, settings: BreakerSettings, result: BreakerResult, probe: boolean): MaybePromise<BreakerTransition | undefined> {
    const tracked = this.#track(key, settings);
    if (!probe) {
      // Calls admitted before the breaker opened say nothing about the state they find now.
      if (result === 'neutral' || (tracked.shared !== undefined && tracked.shared.state !== 'closed')) return undefined;
      if (result === 'success') {
        tracked.pending += 1;
        tracked.pendingAt = Date.now();
        this.#flush ??= setTimeout(() => this.#flushAll(), FLUSH_MS).unref();
        return undefined;
      }
    }
    const slot = probe ? (tracked.slots.pop() ?? 0) : 0;
    const [ok, okAt] = this.#takePending(tracked);
    const args = [...this.#args(key, settings), result, probe ? 1 : 0, ok, slot, this.#owner, okAt];
    return recordScript.run(this.#client, this.#keys(key), args).then((raw) => this.#apply(key, raw).transition);
  }

  snapshot(key: string, now: number): BreakerSnapshot {
    return snapshotOf(this.#tracked.get(key)?.shared, now);
  }

  restore(key: string, snapshot: BreakerSnapshot, now: number, settings: BreakerSettings): Promise<void> {
    this.#track(key, settings);
    const retryIn = snapshot.state === 'open' ? Math.max(0, (snapshot.retryAt ?? now) - now) : 0;
    const window = JSON.stringify(snapshot.window.map(([start, total, failures]) => [start === 0 ? 0 : Math.max(0, now - start), total, failures]));
    const args = [...this.#args(key, settings), snapshot.state, snapshot.consecutiveFailures, snapshot.opens, retryIn, snapshot.reason ?? '', window];
    return restoreScript.run(this.#client, this.#keys(key), args).then((raw) => {
      this.#apply(key, raw);
    });
  }

  /** Sends batched successes, stops the background work and the subscription. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reread);
    clearTimeout(this.#flush);
    await this.#flushAll();
    this.#subscriber.disconnect();
  }

  /** The store's kind and key prefix; never the connection. */
  toJSON(): { type: string; keyPrefix: string } {
    return { type: 'RedisBreakerStore', keyPrefix: this.#prefix.slice(0, -'cb:'.length) };
  }

  #track(key: string, settings: BreakerSettings): Tracked {
    let tracked = this.#tracked.get(key);
    if (tracked === undefined) {
      tracked = { settings, shared: undefined, pending: 0, pendingAt: 0, slots: [] };
      this.#tracked.set(key, tracked);
    }
    tracked.settings = settings;
    return tracked;
  }

  #keys(key: string): string[] {
    // The hash tag keeps a breaker's keys in one cluster slot.
    const base = `${this.#prefix}{${key}}`;
    return [base, `${base}:w`, `${base}:t`];
  }

  #args(key: string, settings: BreakerSettings): (string | number)[] {
    return settingsArgs(settings, key, this.#channel);
  }

  /** The batched successes of a breaker, and when the latest happened in the server's clock; resets the batch. */
  #takePending(tracked: Tracked): [number, number] {
    const taken: [number, number] = [tracked.pending, tracked.pendingAt + this.#offset];
    tracked.pending = 0;
    return taken;
  }

  #apply(key: string, raw: unknown): BreakerReply {
    const reply = decodeReply(raw);
    this.#offset = reply.offset;
    const tracked = this.#tracked.get(key);
    // A published change may overtake the reply of an earlier command.
    if (tracked !== undefined && isNewer(tracked.shared, reply.shared)) tracked.shared = reply.shared;
    return reply;
  }

  #onMessage(message: string): void {
    let parsed: { k?: unknown; now?: unknown; s: unknown; v: unknown; r: unknown; why: unknown; c: unknown; o: unknown; e: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    const tracked = typeof parsed.k === 'string' ? this.#tracked.get(parsed.k) : undefined;
    if (tracked === undefined) return;
    const shared = sharedFrom(parsed, Number(parsed.now) - Date.now());
    if (isNewer(tracked.shared, shared)) tracked.shared = shared;
  }

  #flushAll(): Promise<void> {
    this.#flush = undefined;
    const due = [...this.#tracked].filter(([, t]) => t.pending > 0);
    if (due.length === 0) return Promise.resolve();
    const pipeline = this.#client.pipeline();
    for (const [key, tracked] of due) {
      const [ok, okAt] = this.#takePending(tracked);
      recordScript.queue(pipeline, this.#keys(key), [...this.#args(key, tracked.settings), 'none', 0, ok, 0, this.#owner, okAt]);
    }
    return this.#exec(pipeline, due.map(([key]) => key));
  }

  #rereadAll(): void {
    if (this.#tracked.size === 0 || this.#client.status !== 'ready') return;
    const keys = [...this.#tracked.keys()];
    const pipeline = this.#client.pipeline();
    for (const key of keys) readScript.queue(pipeline, this.#keys(key), this.#args(key, (this.#tracked.get(key) as Tracked).settings));
    void this.#exec(pipeline, keys);
  }

  async #exec(pipeline: ReturnType<Redis['pipeline']>, keys: string[]): Promise<void> {
    try {
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, raw], i) => {
        if (error) throw error;
        const key = keys[i] as string;
        const tracked = this.#tracked.get(key);
        const { shared, offset } = decodeReply(raw);
        this.#offset = offset;
        if (tracked !== undefined && isNewer(tracked.shared, shared)) tracked.shared = shared;
      });
    } catch (error) {
      if (!this.#closed) this.#onError(error);
    }
  }
}
