import { parseConfig } from '../core/config.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import { ConnectorError } from '../core/errors.js';
import type { Disposable, TypedEvents } from '../core/events.js';
import type { Outcome, Verdict } from '../core/outcome.js';
import { resolveHost, startAttempt, type Policy, type PolicyAttempt, type PolicyHost, type PolicyRunOptions } from './policy.js';
import { rateLimitConfigSchema, rateLimitSettings, type RateLimitConfig, type RateLimitOptions } from './rate-limit-schema.js';
import type { RateLimitSettings, RateLimitStore, Reservation } from './rate-limit-types.js';
import { isPromiseLike, sleep } from './sleep.js';
import { MemoryRateLimitStore } from './stores/memory-rate-limit.js';
import type { CallSignal } from '../core/call-signal.js';
import type { CallEvents } from '../core/observer.js';

interface Pause {
  until: number;
  at: number;
  epoch: number;
}

/**
 * A token-bucket rate limiter. A call takes a token or reserves the next one and
 * waits for it, in the order callers arrived; no lock is held while waiting. A
 * call that would queue behind `maxQueue` others, wait longer than `maxWait`, or
 * wait past its deadline fails at once with `RATE_LIMITED`. With `adaptive`, the
 * server's own rate-limit headers pause the bucket when it says none remain.
 *
 * @example
 * ```ts
 * import { rateLimitPolicy } from 'ia-connectors';
 * const limiter = rateLimitPolicy({ perSecond: 10, burst: 5, maxWait: 2000 });
 * using _ = limiter.on('rateLimited', (e) => console.log(`waiting ${e.waitMs} ms`));
 * await limiter.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * ```
 */
export class RateLimiter implements Policy {
  readonly #config: RateLimitConfig;
  readonly #settings: RateLimitSettings;
  readonly #store: RateLimitStore;
  readonly #name: string;
  readonly #events: TypedEvents<ConnectorEvents>;
  /** Pauses announced by the server, so callers already queued honour them too. */
  readonly #pauses = new Map<string, Pause>();
  /** Counts announcements, to tell callers queued before a pause from those after it. */
  #epoch = 0;
  #waiting = 0;

  constructor(config: RateLimitConfig, host?: PolicyHost) {
    const { name, events } = resolveHost(host);
    this.#name = name;
    this.#events = events;
    this.#config = config;
    this.#settings = rateLimitSettings(config);
    this.#store = config.store ?? new MemoryRateLimitStore();
  }

  /** Callers waiting for a token right now. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Subscribes to waits and refusals; dispose the handle to unsubscribe. */
  on(event: 'rateLimited', listener: (payload: ConnectorEvents['rateLimited']) => void): Disposable {
    return this.#events.on(event, listener);
  }

  execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T> = {}): Promise<T> {
    const key = options.key === undefined ? this.#name : `${this.#name}:${options.key}`;
    const epoch = this.#epoch;
    const reservation = this.#store.reserve(key, Date.now(), this.#settings, this.#limit(options.deadline));
    if (isPromiseLike(reservation)) return reservation.then((r) => this.#run(r, key, epoch, fn, options));
    // No async frame: a call with a token in hand and nothing to learn from its outcome passes straight through.
    if (reservation.reserved && reservation.waitMs === 0 && this.#pauses.size === 0 && !this.#judges(options)) {
      return startAttempt(fn, { signal: options.signal, attempt: options.attempt ?? 1, deadline: options.deadline });
    }
    return this.#run(reservation, key, epoch, fn, options);
  }

  /** An adaptive limiter reads the server's rate-limit headers from each outcome. */
  #judges<T>(options: PolicyRunOptions<T>): options is PolicyRunOptions<T> & { classify: (outcome: Outcome<T>) => Verdict } {
    return this.#config.adaptive && options.classify !== undefined;
  }

  /** The longest wait this caller may be given: 0 when the queue is full, never past its deadline. */
  #limit(deadline: number | undefined): number {
    if (this.#waiting >= this.#config.maxQueue) return 0;
    if (deadline === undefined) return this.#config.maxWait;
    return Math.max(0, Math.min(this.#config.maxWait, Math.floor(deadline - performance.now())));
  }

  async #run<T>(r: Reservation, key: string, epoch: number, fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T>): Promise<T> {
    const label = options.key;
    if (!r.reserved) {
      options.observation?.event('rate_limit.rejected', { 'rate_limit.wait_ms': r.waitMs });
      throw this.#refusal(r.waitMs, label, options.deadline);
    }
    if (r.waitMs > 0 || this.#pauses.size > 0) await this.#wait(r.waitMs, key, epoch, label, options.signal, options.observation);
    const attempt = { signal: options.signal, attempt: options.attempt ?? 1, deadline: options.deadline };
    if (!this.#judges(options)) return fn(attempt);
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await fn(attempt) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await this.#adapt(key, options.classify(outcome));
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  #refusal(waitMs: number, label: string | undefined, deadline: number | undefined): ConnectorError {
    this.#emit(waitMs, label, true);
    const { maxQueue, maxWait } = this.#config;
    const left = deadline === undefined ? Infinity : Math.max(0, Math.floor(deadline - performance.now()));
    const bound =
      this.#waiting >= maxQueue
        ? `its queue is full (maxQueue ${maxQueue})`
        : left < maxWait
          ? `the call's deadline is ${left} ms away`
          : `that exceeds maxWait (${maxWait} ms)`;
    return new ConnectorError(
      'RATE_LIMITED',
      `rate limit of "${this.#name}" reached: the next token is ${waitMs} ms away and ${bound}; lower the call rate or raise rateLimit.maxWait / maxQueue`,
      { details: { connector: this.#name, retryAfterMs: waitMs, key: label } },
    );
  }

  async #wait(waitMs: number, key: string, epoch: number, label: string | undefined, signal: CallSignal | undefined, observation: CallEvents | undefined): Promise<void> {
    const readyAt = Date.now() + waitMs;
    let announced = false;
    this.#waiting += 1;
    try {
      // Re-checked after every wake-up: the server may announce a pause while this caller sleeps.
      for (;;) {
        const now = Date.now();
        const until = this.#due(key, readyAt, epoch, now);
        if (until <= now) return;
        if (!announced) {
          this.#emit(until - now, label, false);
          observation?.event('rate_limit.wait', { 'rate_limit.wait_ms': until - now });
        }
        announced = true;
        await sleep(until - now, signal, `the wait for a rate-limit token of "${this.#name}"`);
      }
    } catch (error) {
      const released = this.#store.release(key, Date.now(), this.#settings);
      if (isPromiseLike(released)) await released;
      throw error;
    } finally {
      this.#waiting -= 1;
    }
  }

  /**
   * When a caller due at `readyAt` may go. A pause announced after it reserved shifts
   * it by the pause's length, so queued callers keep their spacing instead of all
   * leaving together when the pause ends; later reservations already include it.
   */
  #due(key: string, readyAt: number, epoch: number, now: number): number {
    const pause = this.#pauses.get(key);
    if (pause === undefined) return readyAt;
    if (pause.until <= now) {
      this.#pauses.delete(key);
      return readyAt;
    }
    return pause.epoch > epoch ? pause.until + Math.max(0, readyAt - pause.at) : readyAt;
  }

  async #adapt(key: string, verdict: Verdict): Promise<void> {
    const info = verdict.rateLimit;
    let waitMs: number | undefined;
    if (info?.remaining === 0) waitMs = info.resetMs ?? verdict.retryAfterMs ?? 1 / this.#settings.ratePerMs;
    else if (verdict.retryAfterMs !== undefined && verdict.reason !== 'ok') waitMs = verdict.retryAfterMs;
    if (waitMs === undefined || waitMs <= 0) return;
    const now = Date.now();
    const until = now + Math.ceil(waitMs);
    if (this.#pauses.size >= 1000) for (const [k, p] of this.#pauses) if (p.until <= now) this.#pauses.delete(k);
    const current = this.#pauses.get(key);
    this.#epoch += 1;
    // Extending a pause keeps its start, so callers queued before it shift by the whole pause.
    const extended = current !== undefined && current.until > now;
    this.#pauses.set(key, { until: extended ? Math.max(until, current.until) : until, at: extended ? current.at : now, epoch: this.#epoch });
    const paused = this.#store.pause(key, now, until, this.#settings);
    if (isPromiseLike(paused)) await paused;
  }

  #emit(waitMs: number, key: string | undefined, rejected: boolean): void {
    if (this.#events.has('rateLimited')) this.#events.emit('rateLimited', { connector: this.#name, waitMs, key, rejected });
  }
}

/**
 * Validates `options` (a `CONFIG` error names each bad field) and creates a
 * {@link RateLimiter}.
 *
 * @example
 * ```ts
 * import { rateLimitPolicy } from 'ia-connectors';
 * const hourly = rateLimitPolicy({ rate: 5000, intervalMs: 3_600_000, burst: 100 });
 * ```
 */
export function rateLimitPolicy(options: RateLimitOptions, host?: PolicyHost): RateLimiter {
  return new RateLimiter(parseConfig(rateLimitConfigSchema, options, 'rateLimit'), host);
}
