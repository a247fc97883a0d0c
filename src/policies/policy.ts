import { isConnectorError } from '../core/errors.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import { TypedEvents } from '../core/events.js';
import type { Outcome, Verdict } from '../core/outcome.js';
import type { CallSignal } from '../core/call-signal.js';
import type { CallEvents } from '../core/observer.js';

/**
 * What a policy hands the function it runs: the signal to pass on to I/O, the
 * attempt number (1 for the first try) and the `performance.now()` deadline, if any.
 *
 * @example
 * ```ts
 * import { retryPolicy, type PolicyAttempt } from 'ia-connectors';
 * await retryPolicy().execute(({ signal, attempt }: PolicyAttempt) => fetch(`http://127.0.0.1:8080/?try=${attempt}`, { signal }));
 * ```
 */
export interface PolicyAttempt {
  readonly signal: CallSignal | undefined;
  readonly attempt: number;
  readonly deadline: number | undefined;
}

/**
 * Per-call options of {@link Policy.execute}. `classify` judges an outcome (the
 * default retries and counts every error except `ConnectorError`s marked not
 * retryable); `key` selects a rate-limit bucket.
 *
 * @example
 * ```ts
 * import type { PolicyRunOptions } from 'ia-connectors';
 * const opts: PolicyRunOptions<Response> = { signal: AbortSignal.timeout(5000), key: 'search' };
 * ```
 */
export interface PolicyRunOptions<T> {
  signal?: CallSignal | undefined;
  attempt?: number | undefined;
  /** `performance.now()` value by which the whole call must end. */
  deadline?: number | undefined;
  classify?: ((outcome: Outcome<T>) => Verdict) | undefined;
  key?: string | undefined;
  /** Where to report what the policy did to this call (retries, waits, refusals), when observed. */
  observation?: CallEvents | undefined;
}

/**
 * A resilience policy usable on its own, like cockatiel's: it runs `fn` under its
 * rule. Compose several with {@link wrap}; a connector uses the same policies as
 * chain layers.
 *
 * @example
 * ```ts
 * import { bulkheadPolicy, type Policy } from 'ia-connectors';
 * const p: Policy = bulkheadPolicy({ maxConcurrent: 4 });
 * const text = await p.execute(async ({ signal }) => (await fetch('http://127.0.0.1:8080/', { signal })).text());
 * ```
 */
export interface Policy {
  execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options?: PolicyRunOptions<T>): Promise<T>;
}

/**
 * Who a policy works for: the name it reports in events (a connector's name) and
 * where it emits them. A standalone policy gets its own emitter.
 *
 * @example
 * ```ts
 * import { TypedEvents, retryPolicy, type PolicyHost, type ConnectorEvents } from 'ia-connectors';
 * const host: PolicyHost = { name: 'billing', events: new TypedEvents<ConnectorEvents>() };
 * const retry = retryPolicy({ maxAttempts: 4 }, host);
 * ```
 */
export interface PolicyHost {
  name?: string;
  events?: TypedEvents<ConnectorEvents>;
}

/**
 * Resolves a {@link PolicyHost} to a name and an emitter.
 *
 * @example
 * ```ts
 * import { resolveHost } from 'ia-connectors';
 * const { name, events } = resolveHost(undefined); // 'policy', a fresh emitter
 * ```
 */
export function resolveHost(host: PolicyHost | undefined): { name: string; events: TypedEvents<ConnectorEvents> } {
  return { name: host?.name ?? 'policy', events: host?.events ?? new TypedEvents<ConnectorEvents>() };
}

/**
 * Composes policies into one; the first listed is the outermost, as in the
 * connector chain. Each inner policy sees the attempt number and signal the outer
 * one passes down.
 *
 * @example
 * ```ts
 * import { wrap, retryPolicy, circuitBreakerPolicy } from 'ia-connectors';
 * const resilient = wrap(retryPolicy({ maxAttempts: 3 }), circuitBreakerPolicy({ threshold: 5 }));
 * await resilient.execute(({ signal }) => fetch('http://127.0.0.1:8080/health', { signal }));
 * ```
 */
export function wrap(...policies: Policy[]): Policy {
  return {
    execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T> = {}): Promise<T> {
      const run = (index: number, at: PolicyAttempt): Promise<T> => {
        const policy = policies[index];
        if (policy === undefined) return fn(at);
        const inner = { ...options, signal: at.signal, attempt: at.attempt, deadline: at.deadline };
        return policy.execute((next) => run(index + 1, next), inner);
      };
      return run(0, { signal: options.signal, attempt: options.attempt ?? 1, deadline: options.deadline });
    },
  };
}

const OK: Verdict = { retryable: false, failure: false, reason: 'ok' };

/**
 * The judgement a standalone policy uses without a `classify`: a value is a
 * success; a `ConnectorError` is retryable as its `retryable` says and a failure
 * unless it was an abort; any other error is retryable and a failure.
 *
 * @example
 * ```ts
 * import { defaultClassify } from 'ia-connectors';
 * defaultClassify({ ok: false, error: new Error('socket hang up') }).retryable; // true
 * ```
 */
export function defaultClassify(outcome: Outcome<unknown>): Verdict {
  if (outcome.ok) return OK;
  const error = outcome.error;
  if (isConnectorError(error)) {
    const wait = error.details.retryAfterMs;
    const failure = error.code !== 'ABORTED';
    return { retryable: error.retryable, failure, reason: error.code, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
  }
  // The error's name, not its message: a reason reaches events, and a foreign message may hold anything.
  return { retryable: true, failure: true, reason: error instanceof Error ? error.name : typeof error };
}

/**
 * Runs `fn` and captures its result or error as an {@link Outcome}; a synchronous
 * throw is captured too.
 *
 * @example
 * ```ts
 * import { settle } from 'ia-connectors';
 * const outcome = await settle(() => Promise.reject(new Error('x'))); // { ok: false, error }
 * ```
 */
export async function settle<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Starts one attempt: `fn(attempt)` as a promise, a synchronous throw becoming a
 * rejection. A policy that admits a call at once chains on this promise instead of
 * awaiting it in an async function, so the call keeps no async frame alive across its I/O.
 *
 * @example
 * ```ts
 * import { startAttempt } from 'ia-connectors';
 * const pending = startAttempt(({ attempt }) => Promise.resolve(attempt), { signal: undefined, attempt: 1, deadline: undefined });
 * ```
 */
export function startAttempt<T>(fn: (attempt: PolicyAttempt) => Promise<T>, attempt: PolicyAttempt): Promise<T> {
  try {
    return Promise.resolve(fn(attempt));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The value of an outcome, or its error thrown.
 *
 * @example
 * ```ts
 * import { unwrapOutcome } from 'ia-connectors';
 * unwrapOutcome({ ok: true, value: 1 }); // 1
 * ```
 */
export function unwrapOutcome<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
