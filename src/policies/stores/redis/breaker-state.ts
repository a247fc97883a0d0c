import type { BreakerSettings, BreakerSnapshot, BreakerTransition, CircuitState } from '../../breaker-types.js';

/**
 * This process's copy of one shared breaker, in the local clock. `epoch` names the
 * life of the Redis hash (its creation time), so a state that was reset (expired,
 * or Redis restarted empty) replaces the copy even though its version is lower.
 *
 * @example
 * ```ts
 * import type { SharedBreaker } from './breaker-state.js';
 * const s: SharedBreaker = { state: 'open', version: 3, epoch: '1764215000000', retryAt: Date.now() + 5000, reason: '5 consecutive failures', consecutive: 5, opens: 1 };
 * ```
 */
export interface SharedBreaker {
  state: CircuitState;
  version: number;
  epoch: string;
  /** Local epoch ms when an open breaker admits a probe; 0 when closed. */
  retryAt: number;
  reason: string | undefined;
  consecutive: number;
  opens: number;
}

/**
 * A script's reply, decoded: the shared state, the transition it made, and its extra fields.
 *
 * @example
 * ```ts
 * import { decodeReply, type BreakerReply } from './breaker-state.js';
 * declare const raw: unknown;
 * const { shared, transition }: BreakerReply = decodeReply(raw);
 * ```
 */
export interface BreakerReply {
  shared: SharedBreaker;
  /** The server's clock minus the local clock when the reply was decoded. */
  offset: number;
  transition: BreakerTransition | undefined;
  extra: [string, number, number];
}

const STATES = new Set<string>(['closed', 'open', 'half-open']);

/**
 * Decodes `{now, version, state, retryAt, reason, consecutive, opens, epoch, from, to,
 * a, b, c}`, moving server times to the local clock (times in `extra[2]` too).
 *
 * @example
 * ```ts
 * import { decodeReply } from './breaker-state.js';
 * decodeReply([1000, 1, 'open', 6000, 'a probe call failed', 0, 2, '900', 'half-open', 'open', '', 0, 0], 1000).shared.retryAt; // 6000
 * ```
 */
export function decodeReply(reply: unknown, localNow = Date.now()): BreakerReply {
  const r = reply as [number, number, string, number, string, number, number, string, string, string, string, number, number];
  const offset = Number(r[0]) - localNow;
  const shared = sharedFrom({ s: r[2], v: r[1], r: r[3], why: r[4], c: r[5], o: r[6], e: r[7] }, offset);
  const from = r[8];
  const to = r[9];
  const transition = STATES.has(from) && STATES.has(to) && from !== to ? { from: from as CircuitState, to: to as CircuitState, retryAt: to === 'open' ? shared.retryAt : undefined } : undefined;
  const extraTime = Number(r[12]);
  return { shared, offset, transition, extra: [String(r[10]), Number(r[11]), extraTime > 0 ? extraTime - offset : 0] };
}

/**
 * The shared state from a published message or reply fields; `offset` is the server
 * clock minus the local clock.
 *
 * @example
 * ```ts
 * import { sharedFrom } from './breaker-state.js';
 * sharedFrom({ s: 'open', v: 2, r: 5000, why: 'x', c: 3, o: 1, e: '1' }, 1000).retryAt; // 4000
 * ```
 */
export function sharedFrom(m: { s: unknown; v: unknown; r: unknown; why: unknown; c: unknown; o: unknown; e: unknown }, offset: number): SharedBreaker {
  const state = typeof m.s === 'string' && STATES.has(m.s) ? (m.s as CircuitState) : 'closed';
  const retryAt = Number(m.r) > 0 ? Number(m.r) - offset : 0;
  const reason = typeof m.why === 'string' && m.why !== '' ? m.why : undefined;
  return { state, version: Number(m.v) || 0, epoch: String(m.e ?? ''), retryAt, reason, consecutive: Number(m.c) || 0, opens: Number(m.o) || 0 };
}

/**
 * True when `next` should replace `current`: newer, or from another life of the hash.
 *
 * @example
 * ```ts
 * import { isNewer, sharedFrom } from './breaker-state.js';
 * const at = (v: number, e: string) => sharedFrom({ s: 'closed', v, r: 0, why: '', c: 0, o: 0, e }, 0);
 * isNewer(at(5, 'a'), at(1, 'b')); // true: Redis lost the old state
 * ```
 */
export function isNewer(current: SharedBreaker | undefined, next: SharedBreaker): boolean {
  return current === undefined || current.epoch !== next.epoch || next.version >= current.version;
}

/**
 * The copy as a snapshot; the outcome window stays in Redis.
 *
 * @example
 * ```ts
 * import { snapshotOf } from './breaker-state.js';
 * snapshotOf(undefined, Date.now()).state; // 'closed'
 * ```
 */
export function snapshotOf(shared: SharedBreaker | undefined, now: number): BreakerSnapshot {
  if (shared === undefined) return { state: 'closed', consecutiveFailures: 0, opens: 0, retryAt: undefined, reason: undefined, window: [] };
  const retryAt = shared.state === 'closed' ? undefined : shared.state === 'open' ? shared.retryAt : now;
  return { state: shared.state, consecutiveFailures: shared.consecutive, opens: shared.opens, retryAt, reason: shared.reason, window: [] };
}

/**
 * ARGV 1-13 of every breaker script.
 *
 * @example
 * ```ts
 * import { settingsArgs } from './breaker-state.js';
 * import { breakerSettings, circuitBreakerConfigSchema } from 'ia-connectors';
 * settingsArgs(breakerSettings(circuitBreakerConfigSchema.parse({})), 'users', 'iac:cb:changes');
 * ```
 */
export function settingsArgs(settings: BreakerSettings, name: string, channel: string): (string | number)[] {
  const ttl = Math.max(3_600_000, 2 * Math.max(settings.maxOpenDuration, settings.windowMs));
  return [
    settings.mode,
    settings.threshold,
    settings.failureRate,
    settings.windowSize ?? 0,
    settings.windowMs,
    settings.minThroughput,
    settings.openDuration,
    settings.backoffMultiplier,
    settings.maxOpenDuration,
    settings.halfOpenProbes,
    name,
    channel,
    ttl,
  ];
}
