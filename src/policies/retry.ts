import { parseConfig } from '../core/config.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import { ConnectorError } from '../core/errors.js';
import type { Disposable, TypedEvents } from '../core/events.js';
import type { Outcome, Verdict } from '../core/outcome.js';
import { backoffDelay } from './backoff.js';
import { defaultClassify, resolveHost, settle, type Policy, type PolicyAttempt, type PolicyHost, type PolicyRunOptions } from './policy.js';
import { RetryBudget } from './retry-budget.js';
import { retryConfigSchema, type RetryConfig, type RetryOptions } from './retry-schema.js';
import { sleep } from './sleep.js';

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

  async execute<T>(fn: (attempt: PolicyAttempt) => Promise<T>, options: PolicyRunOptions<T> = {}): Promise<T> {
    const { signal, deadline } = options;
    const classify = options.classify ?? defaultClassify;
    this.#budget?.recordCall(Date.now());
    let previous = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await settle(() => fn({ signal, attempt, deadline }));
      if (attempt >= this.#config.maxAttempts) return unwrap(outcome);
      const verdict = classify(outcome);
      if (!(this.#config.shouldRetry?.(verdict, outcome) ?? verdict.retryable)) return unwrap(outcome);
      const delay = this.#delay(attempt, previous, verdict, outcome);
      if (deadline !== undefined && performance.now() + delay >= deadline) return unwrap(outcome);
      if (this.#budget && !this.#budget.tryRetry(Date.now())) return unwrap(outcome);
      previous = delay;
      if (this.#events.has('retry')) this.#events.emit('retry', { connector: this.#name, attempt: attempt + 1, delayMs: delay, reason: verdict.reason });
      options.observation?.event('retry', { attempt: attempt + 1, 'retry.delay_ms': delay, 'retry.reason': verdict.reason });
      await sleep(delay, signal, `the retry wait of "${this.#name}"`);
    }
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

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}
