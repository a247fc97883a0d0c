import { parseConfig } from '../core/config.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import { ConnectorError } from '../core/errors.js';
import type { Disposable, TypedEvents } from '../core/events.js';
import type { Outcome, Verdict } from '../core/outcome.js';
import { backoffDelay } from './backoff.js';
import { defaultClassify, resolveHost, startAttempt, unwrapOutcome, type Policy, type PolicyAttempt, type PolicyHost, type PolicyRunOptions } from './policy.js';
import { RetryBudget } from './retry-budget.js';
import { retryConfigSchema, type RetryConfig, type RetryOptions } from './retry-schema.js';
import { sleep } from './sleep.js';

/** The wait before the next attempt, and why it is retried. */
interface Wait {
  delay: number;
  reason: string;
}

/**
 * Where a retry policy gets its randomness; tests pin it to make jitter exact.
 *
 * @example
 * ```ts
 * import { retryPolicy, type RetryHost } from 'ia-connectors';
 * const host: RetryHost = { random: () => 0.5 };
 * const retry = retryPolicy({ jitter: 'full' }, host);
 * ```
 */
export interface RetryHost extends PolicyHost {
  random?: () => number;
}

/**
 * Retries what the classifier judges retryable, up to `maxAttempts`, with
 * exponential backoff and jitter. A server-requested wait (Retry-After) replaces
 * the backoff; one longer than `maxRetryAfter` fails with `RETRY_AFTER_TOO_LONG`.
 * It never sleeps past the call's deadline, spends from a retry budget, and its
 * waits end when the signal aborts. When retries run out it returns the last
 * value (a 503 response stays a response) or throws the last error.
 *
 * @example
 * ```ts
 * import { retryPolicy } from 'ia-connectors';
 * const retry = retryPolicy({ maxAttempts: 4, baseDelay: 100, jitter: 'full' });
 * using _ = retry.on('retry', (e) => console.log(`attempt ${e.attempt} in ${e.delayMs} ms (${e.reason})`));
 * const body = await retry.execute(async ({ signal }) => (await fetch('http://127.0.0.1:8080/', { signal })).text());
 * ```
 */
export class RetryPolicy implements Policy {
  readonly #config: RetryConfig;
  readonly #budget: RetryBudget | undefined;
  readonly #random: () => number;
  readonly #name: string;
  readonly #events: TypedEvents<ConnectorEvents>;

  constructor(config: RetryConfig, host?: RetryHost) {
    const { name, events } = resolveHost(host);
    this.#name = name;
    this.#events = events;
    this.#config = config;
    this.#budget = config.budget === false ? undefined : new RetryBudget(config.budget);
    this.#random = host?.random ?? Math.random;
  }

  /** Subscribes to retries; dispose the handle to unsubscribe. */
  on(event: 'retry', listener: (payload: ConnectorEvents['retry']) => void): Disposable {
    return this.#events.on(event, listener);
  }

  execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T> = {}): Promise<T> {
    this.#budget?.recordCall(Date.now());
    // No async frame for the first attempt: most calls end with it.
    return startAttempt(fn, { signal: options.signal, attempt: 1, deadline: options.deadline }).then(
      (value) => this.#after(fn, options, 1, 0, { ok: true, value }),
      (error: unknown) => this.#after(fn, options, 1, 0, { ok: false, error }),
    );
  }

  /** After attempt `attempt`: its result, or the retries that follow it. */
  #after<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T>, attempt: number, previous: number, outcome: Outcome<T>): T | Promise<T> {
    const wait = this.#plan(attempt, previous, outcome, options);
    return wait === undefined ? unwrapOutcome(outcome) : this.#retry(fn, options, attempt, wait);
  }

  async #retry<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T>, attempt: number, wait: Wait): Promise<T> {
    const { signal, deadline } = options;
    for (;;) {
      const { delay, reason } = wait;
      if (this.#events.has('retry')) this.#events.emit('retry', { connector: this.#name, attempt: attempt + 1, delayMs: delay, reason });
      options.observation?.event('retry', { attempt: attempt + 1, 'retry.delay_ms': delay, 'retry.reason': reason });
      await sleep(delay, signal, `the retry wait of "${this.#name}"`);
      attempt += 1;
      let outcome: Outcome<T>;
      try {
        outcome = { ok: true, value: await fn({ signal, attempt, deadline }) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const next = this.#plan(attempt, delay, outcome, options);
      if (next === undefined) return unwrapOutcome(outcome);
      wait = next;
    }
  }

  /** The wait before another attempt, or undefined when `outcome` is final. */
  #plan<T>(attempt: number, previous: number, outcome: Outcome<T>, options: PolicyRunOptions<T>): Wait | undefined {
    if (attempt >= this.#config.maxAttempts) return undefined;
    const classify = options.classify ?? defaultClassify;
    const verdict = classify(outcome);
    if (!(this.#config.shouldRetry?.(verdict, outcome) ?? verdict.retryable)) return undefined;
    const delay = this.#delay(attempt, previous, verdict, outcome);
    const { deadline } = options;
    if (deadline !== undefined && performance.now() + delay >= deadline) return undefined;
    if (this.#budget && !this.#budget.tryRetry(Date.now())) return undefined;
    return { delay, reason: verdict.reason };
  }

  #delay(attempt: number, previous: number, verdict: Verdict, outcome: Outcome<unknown>): number {
    const asked = verdict.retryAfterMs;
    if (asked === undefined) return backoffDelay(attempt, previous, this.#config, this.#random);
    const { maxRetryAfter } = this.#config;
    if (asked <= maxRetryAfter) return Math.ceil(asked);
    const status = outcome.ok ? statusOf(outcome.value) : undefined;
    throw new ConnectorError(
      'RETRY_AFTER_TOO_LONG',
      `"${this.#name}" was asked to wait ${Math.ceil(asked)} ms before retrying (${verdict.reason}), longer than retry.maxRetryAfter (${maxRetryAfter} ms); try again later or raise maxRetryAfter`,
      {
        ...(outcome.ok ? {} : { cause: outcome.error }),
        details: { connector: this.#name, retryAfterMs: Math.ceil(asked), attempts: attempt, ...(status === undefined ? {} : { status }) },
      },
    );
  }
}

/**
 * Validates `options` (a `CONFIG` error names each bad field) and creates a
 * {@link RetryPolicy}.
 *
 * @example
 * ```ts
 * import { retryPolicy } from 'ia-connectors';
 * const retry = retryPolicy({ maxAttempts: 5, jitter: 'decorrelated', maxRetryAfter: 10_000 });
 * ```
 */
export function retryPolicy(options: RetryOptions = {}, host?: RetryHost): RetryPolicy {
  return new RetryPolicy(parseConfig(retryConfigSchema, options, 'retry'), host);
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}
