import { ConnectorError } from '../../../core/errors.js';
import type { MaybePromise } from '../../breaker-types.js';
import { isPromiseLike } from '../../sleep.js';
import type { StoreErrorPolicy } from '../../store-schema.js';
import type { RedisHealth } from './health.js';

/**
 * Which of a connector's stores an event or error is about.
 *
 * @example
 * ```ts
 * import type { StoreKind } from 'ia-connectors';
 * const kind: StoreKind = 'circuitBreaker';
 * ```
 */
export type StoreKind = 'rateLimit' | 'circuitBreaker' | 'token';

/**
 * What a failover store needs: whose store it is, the failure policy, and the shared
 * availability of its Redis connection.
 *
 * @example
 * ```ts
 * import type { FailoverContext } from './failover.js';
 * declare const context: FailoverContext;
 * if (!context.health.up) console.log(`${context.connector} follows ${context.policy}`);
 * ```
 */
export interface FailoverContext {
  readonly connector: string;
  readonly policy: StoreErrorPolicy;
  readonly health: RedisHealth;
}

const NAMES: Record<StoreKind, string> = { rateLimit: 'rate limit', circuitBreaker: 'circuit breaker', token: 'OAuth token' };

/**
 * The `STORE_UNAVAILABLE` error of `fail_closed`: names the connector, the store and
 * the (redacted) reason, never the Redis URL.
 *
 * @example
 * ```ts
 * import { storeUnavailable } from './failover.js';
 * declare const context: import('./failover.js').FailoverContext;
 * throw storeUnavailable(context, 'rateLimit');
 * ```
 */
export function storeUnavailable(context: FailoverContext, store: StoreKind): ConnectorError {
  return new ConnectorError(
    'STORE_UNAVAILABLE',
    `the shared ${NAMES[store]} store of "${context.connector}" (Redis) is unavailable (${context.health.message}) and onStoreError is "fail_closed", so the call was not attempted; restore Redis, or set store.onStoreError to "local" or "fail_open"`,
    { details: { connector: context.connector, store } },
  );
}

/**
 * Runs `remote`; when it fails (thrown or rejected) marks Redis unavailable and
 * answers with `fallback` instead. A synchronous answer stays synchronous.
 *
 * @example
 * ```ts
 * import { withFallback } from './failover.js';
 * declare const context: import('./failover.js').FailoverContext;
 * const n = await withFallback(context, () => Promise.reject(new Error('down')), () => 0); // 0
 * ```
 */
export function withFallback<T>(context: FailoverContext, remote: () => MaybePromise<T>, fallback: () => MaybePromise<T>): MaybePromise<T> {
  const onError = (error: unknown): MaybePromise<T> => {
    context.health.fail(error);
    return fallback();
  };
  let answer: MaybePromise<T>;
  try {
    answer = remote();
  } catch (error) {
    return onError(error);
  }
  return isPromiseLike(answer) ? Promise.resolve(answer).then(undefined, onError) : answer;
}
