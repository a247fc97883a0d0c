import type { TokenStore } from '../../../auth/token-store.js';
import type { ConnectorEvents } from '../../../core/connector-events.js';
import type { Disposable } from '../../../core/events.js';
import type { BreakerStore } from '../../breaker-types.js';
import type { RateLimitStore } from '../../rate-limit-types.js';
import type { StoreErrorPolicy } from '../../store-schema.js';
import { FailoverBreakerStore } from './failover-breaker.js';
import { FailoverRateLimitStore } from './failover-rate-limit.js';
import { FailoverTokenStore } from './failover-token.js';
import type { FailoverContext, StoreKind } from './failover.js';
import type { RedisHealth } from './health.js';

/**
 * Where store events go: a connector's events, or a {@link RedisStores} holder's.
 *
 * @example
 * ```ts
 * import { TypedEvents, type ConnectorEvents, type StoreEventTarget } from 'ia-connectors';
 * const target: StoreEventTarget = new TypedEvents<ConnectorEvents>();
 * ```
 */
export interface StoreEventTarget {
  emit<K extends 'storeError' | 'storeRecovered'>(event: K, payload: ConnectorEvents[K]): void;
}

/**
 * What a {@link ConnectorStores} is built from; the holder owns all of it.
 *
 * @example
 * ```ts
 * import type { ConnectorStoresParts } from './connector-stores.js';
 * declare const parts: ConnectorStoresParts;
 * const up = parts.health.up;
 * ```
 */
export interface ConnectorStoresParts {
  readonly health: RedisHealth;
  readonly rateLimit: RateLimitStore;
  readonly breaker: BreakerStore;
  /** The shared token store, created on first use. */
  readonly tokens: () => TokenStore;
  readonly events: StoreEventTarget;
}

/**
 * One connector's view of a {@link RedisStores} holder: its rate limit, breaker and
 * token stores wrapped with its failure policy, and the `storeError` /
 * `storeRecovered` events for them, emitted on the holder and on every event target
 * attached (the registry attaches the connector's own events).
 *
 * @example
 * ```ts
 * import { createRedisStores, createRestConnector } from 'ia-connectors';
 * const stores = createRedisStores({ url: 'redis://127.0.0.1:6379' });
 * const users = stores.forConnector('users');
 * const api = createRestConnector({ name: 'users', baseUrl: 'https://api.example.com', rateLimit: { perSecond: 20, store: users.rateLimitStore() } });
 * using _ = users.attach(api.events);
 * ```
 */
export class ConnectorStores implements Disposable {
  readonly connector: string;
  readonly policy: StoreErrorPolicy;
  readonly #parts: ConnectorStoresParts;
  readonly #context: FailoverContext;
  readonly #kinds = new Set<StoreKind>();
  readonly #targets = new Set<StoreEventTarget>();
  readonly #owned: Disposable[] = [];
  readonly #subscription: Disposable;

  constructor(connector: string, policy: StoreErrorPolicy, parts: ConnectorStoresParts) {
    this.connector = connector;
    this.policy = policy;
    this.#parts = parts;
    this.#context = { connector, policy, health: parts.health };
    this.#subscription = parts.health.onChange((change) => {
      for (const store of this.#kinds) {
        if (change.up) this.#emit('storeRecovered', { connector, store });
        else this.#emit('storeError', { connector, store, policy, message: change.message });
      }
    });
  }

  /** A rate limit store shared through Redis, with this connector's failure policy. */
  rateLimitStore(): RateLimitStore {
    this.#kinds.add('rateLimit');
    return new FailoverRateLimitStore(this.#parts.rateLimit, this.#context);
  }

  /** A circuit breaker store shared through Redis, with this connector's failure policy. */
  breakerStore(): BreakerStore {
    this.#kinds.add('circuitBreaker');
    const store = new FailoverBreakerStore(this.#parts.breaker, this.#context);
    this.#owned.push(store);
    return store;
  }

  /** An OAuth token store: `shared` (default: a `RedisTokenStore` on the holder's connection) with this connector's failure policy. */
  tokenStore(shared?: TokenStore): TokenStore {
    this.#kinds.add('token');
    return new FailoverTokenStore(shared ?? this.#parts.tokens(), this.#context);
  }

  /** Sends this connector's store events to `target` too; dispose the handle to stop. */
  attach(target: StoreEventTarget): Disposable {
    this.#targets.add(target);
    const dispose = (): void => {
      this.#targets.delete(target);
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  /** Stops following the connection's availability. */
  dispose(): void {
    this.#subscription.dispose();
    for (const owned of this.#owned.splice(0)) owned.dispose();
    this.#targets.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #emit<K extends 'storeError' | 'storeRecovered'>(event: K, payload: ConnectorEvents[K]): void {
    this.#parts.events.emit(event, payload);
    for (const target of this.#targets) target.emit(event, payload);
  }
}
