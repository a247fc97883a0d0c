import { parseConfig } from '../core/config.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import { ConnectorError } from '../core/errors.js';
import type { Disposable, TypedEvents } from '../core/events.js';
import type { Outcome, Verdict } from '../core/outcome.js';
import { circuitBreakerConfigSchema, breakerSettings, type CircuitBreakerConfig, type CircuitBreakerOptions, type IsFailure } from './breaker-schema.js';
import type { BreakerAdmission, BreakerResult, BreakerSettings, BreakerSnapshot, BreakerStore, BreakerTransition, CircuitState } from './breaker-types.js';
import { defaultClassify, resolveHost, startAttempt, unwrapOutcome, type Policy, type PolicyAttempt, type PolicyHost, type PolicyRunOptions } from './policy.js';
import { isPromiseLike } from './sleep.js';
import { MemoryBreakerStore } from './stores/memory-breaker.js';

/**
 * A circuit breaker: after too many failures it fails calls fast with
 * `CIRCUIT_OPEN` (carrying `retryAfterMs`) for `openDuration`, then lets exactly
 * `halfOpenProbes` calls test the service; their success closes it, a failure
 * re-opens it (for longer, with `backoff`). A success while closed resets the
 * consecutive count. What counts as a failure is the transport's verdict
 * (network errors, timeouts, 5xx; not 4xx), overridable with `isFailure`.
 *
 * @example
 * ```ts
 * import { circuitBreakerPolicy } from 'ia-connectors';
 * const breaker = circuitBreakerPolicy({ threshold: 5, openDuration: 10_000 });
 * using _ = breaker.on('circuitStateChange', (e) => console.log(`${e.from} -> ${e.to}`));
 * await breaker.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * ```
 */
export class CircuitBreaker implements Policy {
  readonly #settings: BreakerSettings;
  readonly #store: BreakerStore;
  readonly #isFailure: IsFailure | undefined;
  readonly #name: string;
  readonly #events: TypedEvents<ConnectorEvents>;

  constructor(config: CircuitBreakerConfig, host?: PolicyHost) {
    const { name, events } = resolveHost(host);
    this.#name = name;
    this.#events = events;
    this.#settings = breakerSettings(config);
    this.#store = config.store ?? new MemoryBreakerStore();
    this.#isFailure = config.isFailure;
    if (config.initialState) {
      const restored = this.restore(config.initialState);
      if (isPromiseLike(restored)) restored.then(undefined, (error: unknown) => warnRestore(name, error));
    }
  }

  /** The current state as the store last saw it. */
  get state(): CircuitState {
    return this.#store.snapshot(this.#name, Date.now()).state;
  }

  /** Subscribes to state changes; dispose the handle to unsubscribe. */
  on(event: 'circuitStateChange', listener: (payload: ConnectorEvents['circuitStateChange']) => void): Disposable {
    return this.#events.on(event, listener);
  }

  execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T> = {}): Promise<T> {
    const admission = this.#store.admit(this.#name, Date.now(), this.#settings);
    if (isPromiseLike(admission)) return admission.then((a) => this.#run(a, fn, options));
    return this.#run(admission, fn, options);
  }

  /** The state, for saving across restarts; see {@link CircuitBreaker.restore}. */
  toJSON(): BreakerSnapshot {
    return this.#store.snapshot(this.#name, Date.now());
  }

  /** Loads saved state. A saved half-open breaker comes back open and ready to probe. */
  restore(snapshot: BreakerSnapshot): void | Promise<void> {
    return this.#store.restore(this.#name, snapshot, Date.now(), this.#settings);
  }

  /** No async frame: an admitted call chains one pair of callbacks on its attempt, a memory store records at once. */
  #run<T>(admission: BreakerAdmission, fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T>): Promise<T> {
    try {
      if (!admission.admitted) {
        options.observation?.event('circuit_breaker.rejected', { 'circuit_breaker.state': admission.state, 'circuit_breaker.retry_at': admission.retryAt });
        throw this.#openError(admission);
      }
      if (admission.transition) this.#emit(admission.transition);
    } catch (error) {
      return Promise.reject(error);
    }
    const { probe } = admission;
    return startAttempt(fn, { signal: options.signal, attempt: options.attempt ?? 1, deadline: options.deadline }).then(
      (value) => this.#record({ ok: true, value }, probe, options),
      (error: unknown) => this.#record({ ok: false, error }, probe, options),
    );
  }

  #record<T>(outcome: Outcome<T>, probe: boolean, options: PolicyRunOptions<T>): T | Promise<T> {
    const verdict = (options.classify ?? defaultClassify)(outcome);
    const recorded = this.#store.record(this.#name, Date.now(), this.#settings, this.#judge(verdict, outcome), probe);
    if (isPromiseLike(recorded)) {
      return recorded.then((transition) => {
        if (transition) this.#emit(transition);
        return unwrapOutcome(outcome);
      });
    }
    if (recorded) this.#emit(recorded);
    return unwrapOutcome(outcome);
  }

  #judge(verdict: Verdict, outcome: Outcome<unknown>): BreakerResult {
    const failure = this.#isFailure?.(verdict, outcome) ?? verdict.failure;
    if (failure) return 'failure';
    return outcome.ok ? 'success' : 'neutral';
  }

  #emit(t: BreakerTransition): void {
    this.#events.emit('circuitStateChange', { connector: this.#name, from: t.from, to: t.to, retryAt: t.retryAt });
  }

  #openError(refusal: Extract<BreakerAdmission, { admitted: false }>): ConnectorError {
    const retryAfterMs = Math.max(0, refusal.retryAt - Date.now());
    const when = new Date(refusal.retryAt).toISOString();
    const why = refusal.state === 'open' ? `is open (${refusal.reason})` : `is half-open (${refusal.reason})`;
    return new ConnectorError('CIRCUIT_OPEN', `circuit breaker of "${this.#name}" ${why}; the call was not attempted, try again after ${when} (in ${retryAfterMs} ms)`, {
      details: { connector: this.#name, state: refusal.state, retryAfterMs, retryAt: refusal.retryAt },
    });
  }
}

/**
 * Validates `options` (a `CONFIG` error names each bad field) and creates a
 * {@link CircuitBreaker}.
 *
 * @example
 * ```ts
 * import { circuitBreakerPolicy } from 'ia-connectors';
 * const breaker = circuitBreakerPolicy({ mode: 'rate', failureRate: 0.5, windowSize: 20, minThroughput: 10 });
 * ```
 */
export function circuitBreakerPolicy(options: CircuitBreakerOptions = {}, host?: PolicyHost): CircuitBreaker {
  return new CircuitBreaker(parseConfig(circuitBreakerConfigSchema, options, 'circuitBreaker'), host);
}

function warnRestore(name: string, error: unknown): void {
  process.emitWarning(`ia-connectors: circuit breaker of "${name}" could not restore its initialState: ${error instanceof Error ? error.message : String(error)}`);
}
