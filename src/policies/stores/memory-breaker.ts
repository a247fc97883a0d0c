import type {
  BreakerAdmission,
  BreakerResult,
  BreakerSettings,
  BreakerSnapshot,
  BreakerStore,
  BreakerTransition,
  CircuitState,
} from '../breaker-types.js';
import { OutcomeWindow } from '../breaker-window.js';

const PASS: BreakerAdmission = { admitted: true, probe: false, transition: undefined };

/**
 * The breaker state machine for one key. Single-threaded JavaScript makes each
 * method atomic, which is what keeps half-open to exactly `halfOpenProbes` calls.
 */
class BreakerMachine {
  state: CircuitState = 'closed';
  consecutive = 0;
  opens = 0;
  retryAt = 0;
  reason: string | undefined;
  probesAdmitted = 0;
  probesSucceeded = 0;
  window: OutcomeWindow | undefined;

  admit(now: number, s: BreakerSettings): BreakerAdmission {
    if (this.state === 'closed') return PASS;
    let transition: BreakerTransition | undefined;
    if (this.state === 'open') {
      if (now < this.retryAt) return { admitted: false, state: 'open', retryAt: this.retryAt, reason: this.reason ?? 'open' };
      this.state = 'half-open';
      this.probesAdmitted = 0;
      this.probesSucceeded = 0;
      transition = { from: 'open', to: 'half-open', retryAt: undefined };
    }
    if (this.probesAdmitted < s.halfOpenProbes) {
      this.probesAdmitted += 1;
      return { admitted: true, probe: true, transition };
    }
    return { admitted: false, state: 'half-open', retryAt: now + this.#duration(s), reason: 'a probe call is testing the service' };
  }

  record(now: number, s: BreakerSettings, result: BreakerResult, probe: boolean): BreakerTransition | undefined {
    if (probe) return this.state === 'half-open' ? this.#probeDone(now, s, result) : undefined;
    // A call admitted before the breaker opened says nothing about the state it finds now.
    if (this.state !== 'closed' || result === 'neutral') return undefined;
    const failure = result === 'failure';
    this.consecutive = failure ? this.consecutive + 1 : 0;
    if (s.mode === 'consecutive') {
      return this.consecutive >= s.threshold ? this.#open(now, s, `${this.consecutive} consecutive failures`) : undefined;
    }
    const window = (this.window ??= OutcomeWindow.of(s));
    window.add(failure, now);
    if (!failure) return undefined;
    const { total, failures } = window.counts(now);
    if (total < s.minThroughput || failures / total < s.failureRate) return undefined;
    return this.#open(now, s, `${failures} of the last ${total} calls failed`);
  }

  snapshot(now: number): BreakerSnapshot {
    return {
      state: this.state,
      consecutiveFailures: this.consecutive,
      opens: this.opens,
      retryAt: this.state === 'closed' ? undefined : this.state === 'open' ? this.retryAt : now,
      reason: this.reason,
      window: this.window?.toJSON() ?? [],
    };
  }

  restore(snap: BreakerSnapshot, now: number, s: BreakerSettings): void {
    // Probes in flight died with the old process: a half-open breaker comes back open and ready to probe.
    this.state = snap.state === 'closed' ? 'closed' : 'open';
    this.consecutive = snap.consecutiveFailures;
    this.opens = snap.opens;
    this.retryAt = snap.state === 'open' ? (snap.retryAt ?? now) : now;
    this.reason = snap.reason;
    this.probesAdmitted = 0;
    this.probesSucceeded = 0;
    if (s.mode === 'rate' && snap.window.length > 0) (this.window ??= OutcomeWindow.of(s)).load(snap.window, now);
  }

  #probeDone(now: number, s: BreakerSettings, result: BreakerResult): BreakerTransition | undefined {
    if (result === 'neutral') {
      // The probe told nothing (aborted, refused locally): let another caller probe.
      this.probesAdmitted -= 1;
      return undefined;
    }
    if (result === 'failure') return this.#open(now, s, 'a probe call failed');
    this.probesSucceeded += 1;
    if (this.probesSucceeded < s.halfOpenProbes) return undefined;
    this.state = 'closed';
    this.consecutive = 0;
    this.opens = 0;
    this.reason = undefined;
    this.window?.clear();
    return { from: 'half-open', to: 'closed', retryAt: undefined };
  }

  #open(now: number, s: BreakerSettings, reason: string): BreakerTransition {
    const from = this.state;
    this.opens += 1;
    this.state = 'open';
    this.retryAt = now + this.#duration(s);
    this.reason = reason;
    return { from, to: 'open', retryAt: this.retryAt };
  }

  #duration(s: BreakerSettings): number {
    const grown = s.openDuration * s.backoffMultiplier ** Math.max(0, this.opens - 1);
    return Math.min(s.maxOpenDuration, Math.round(grown));
  }
}

/**
 * The default {@link BreakerStore}: state in this process, answered synchronously.
 * One instance may serve several breakers (each has its own key).
 *
 * @example
 * ```ts
 * import { MemoryBreakerStore, circuitBreakerPolicy } from 'ia-connectors';
 * const breaker = circuitBreakerPolicy({ threshold: 3, store: new MemoryBreakerStore() });
 * ```
 */
export class MemoryBreakerStore implements BreakerStore {
  readonly #machines = new Map<string, BreakerMachine>();

  admit(key: string, now: number, settings: BreakerSettings): BreakerAdmission {
    return this.#machine(key).admit(now, settings);
  }

  record(key: string, now: number, settings: BreakerSettings, result: BreakerResult, probe: boolean): BreakerTransition | undefined {
    return this.#machine(key).record(now, settings, result, probe);
  }

  snapshot(key: string, now: number): BreakerSnapshot {
    return (this.#machines.get(key) ?? new BreakerMachine()).snapshot(now);
  }

  restore(key: string, snapshot: BreakerSnapshot, now: number, settings: BreakerSettings): void {
    const machine = new BreakerMachine();
    machine.restore(snapshot, now, settings);
    this.#machines.set(key, machine);
  }

  #machine(key: string): BreakerMachine {
    let machine = this.#machines.get(key);
    if (machine === undefined) {
      machine = new BreakerMachine();
      this.#machines.set(key, machine);
    }
    return machine;
  }
}
