/**
 * A circuit breaker's state: `closed` lets calls through, `open` fails them fast,
 * `half-open` lets a few probe calls test whether the service recovered.
 *
 * @example
 * ```ts
 * import type { CircuitState } from 'ia-connectors';
 * const s: CircuitState = 'half-open';
 * ```
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A value or a promise of it: memory stores answer synchronously (no microtask on
 * the hot path), remote stores asynchronously.
 *
 * @example
 * ```ts
 * import type { MaybePromise } from 'ia-connectors';
 * const n: MaybePromise<number> = 1;
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Normalised breaker rules, passed to the store on every call so that a shared
 * store (Redis) can apply them atomically.
 *
 * @example
 * ```ts
 * import { breakerSettings, circuitBreakerConfigSchema } from 'ia-connectors';
 * const s = breakerSettings(circuitBreakerConfigSchema.parse({ threshold: 3 }));
 * ```
 */
export interface BreakerSettings {
  readonly mode: 'consecutive' | 'rate';
  readonly threshold: number;
  readonly failureRate: number;
  /** Count window (last N outcomes); when undefined the time window `windowMs` is used. */
  readonly windowSize: number | undefined;
  readonly windowMs: number;
  readonly minThroughput: number;
  readonly openDuration: number;
  /** 1 keeps `openDuration` fixed; above 1 each re-open without recovery lasts longer. */
  readonly backoffMultiplier: number;
  readonly maxOpenDuration: number;
  readonly halfOpenProbes: number;
}

/**
 * How one call counts: `neutral` outcomes (an abort, a refused request) say nothing
 * about the service and leave the counts alone.
 *
 * @example
 * ```ts
 * import type { BreakerResult } from 'ia-connectors';
 * const r: BreakerResult = 'neutral';
 * ```
 */
export type BreakerResult = 'success' | 'failure' | 'neutral';

/**
 * A change of state; `retryAt` (epoch ms) is set when the breaker opened.
 *
 * @example
 * ```ts
 * import type { BreakerTransition } from 'ia-connectors';
 * const t: BreakerTransition = { from: 'closed', to: 'open', retryAt: Date.now() + 30_000 };
 * ```
 */
export interface BreakerTransition {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly retryAt: number | undefined;
}

/**
 * The store's answer to "may this call pass?". An admitted half-open call is a
 * `probe`; a refused one learns when to try again (`retryAt`, epoch ms).
 *
 * @example
 * ```ts
 * import type { BreakerAdmission } from 'ia-connectors';
 * const no: BreakerAdmission = { admitted: false, state: 'open', retryAt: Date.now() + 5000, reason: '5 consecutive failures' };
 * ```
 */
export type BreakerAdmission =
  | { readonly admitted: true; readonly probe: boolean; readonly transition: BreakerTransition | undefined }
  | { readonly admitted: false; readonly state: CircuitState; readonly retryAt: number; readonly reason: string };

/**
 * The serialisable state of one breaker, from `toJSON()`; give it back to
 * `restore()` (or the `initialState` option) after a restart.
 *
 * @example
 * ```ts
 * import type { BreakerSnapshot } from 'ia-connectors';
 * const s: BreakerSnapshot = { state: 'open', consecutiveFailures: 5, opens: 1, retryAt: Date.now() + 30_000, reason: '5 consecutive failures', window: [] };
 * ```
 */
export interface BreakerSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** Opens since the breaker last closed; drives the growing open duration. */
  opens: number;
  /** Epoch ms when an open breaker admits a probe; undefined while closed. */
  retryAt: number | undefined;
  /** Why the breaker opened last. */
  reason: string | undefined;
  /** Rate mode: recent outcomes, `[startMs, total, failures]` per time bucket or per call (`total` 1). */
  window: [number, number, number][];
}

/**
 * Where breaker state lives. Every method receives the rules, so a shared store
 * (Redis, with a Lua script per method) can decide atomically for many
 * processes; the memory store answers synchronously. `snapshot` is synchronous so
 * `toJSON()` works: a remote store returns the last state it saw.
 *
 * @example
 * ```ts
 * import { MemoryBreakerStore, circuitBreakerPolicy } from 'ia-connectors';
 * const shared = new MemoryBreakerStore();
 * const a = circuitBreakerPolicy({ threshold: 5, store: shared }, { name: 'users' });
 * ```
 */
export interface BreakerStore {
  admit(key: string, now: number, settings: BreakerSettings): MaybePromise<BreakerAdmission>;
  record(key: string, now: number, settings: BreakerSettings, result: BreakerResult, probe: boolean): MaybePromise<BreakerTransition | undefined>;
  snapshot(key: string, now: number): BreakerSnapshot;
  restore(key: string, snapshot: BreakerSnapshot, now: number, settings: BreakerSettings): MaybePromise<void>;
}
