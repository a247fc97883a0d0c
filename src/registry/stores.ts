import type { ConnectorEvents } from '../core/connector-events.js';
import { TypedEvents } from '../core/events.js';
import type { RedisStoreConfig, StoreConfig } from '../policies/store-schema.js';
import { resolveRedisUrl } from '../policies/stores/redis/redis-url.js';
import { createRedisStores, type RedisStores } from '../policies/stores/redis/stores.js';
import type { AnyConnector, ConnectorConfig } from './protocols.js';

/** The first connector on a Redis waits this long for it; later ones find it connected (or follow onStoreError). */
const READY_MS = 1000;

/**
 * A config ready to build its connector from, and what to do once it is built.
 *
 * @example
 * ```ts
 * import type { WiredConfig } from './stores.js';
 * declare const wired: WiredConfig;
 * ```
 */
export interface WiredConfig {
  config: ConnectorConfig;
  /** Routes the connector's store events (`storeError`, `storeRecovered`) to its own events. */
  attach(connector: AnyConnector): void;
}

/**
 * The registry's shared stores: one {@link RedisStores} holder (one connection) per
 * distinct Redis URL, key prefix and command timeout, whatever number of connectors
 * use it. A connector whose `store` is Redis gets its rate limiter, circuit breaker
 * and, for `oauth2` without a `tokenStore` of its own, its token store from there,
 * each with its `onStoreError` policy; keys are namespaced by the connector's name.
 *
 * @example
 * ```ts
 * import { RegistryStores } from './stores.js';
 * import { connectorConfigSchema, createConnector } from 'ia-connectors';
 * const stores = new RegistryStores();
 * const { config, attach } = await stores.wire(connectorConfigSchema.parse({ name: 'a', baseUrl: 'http://127.0.0.1:8080', store: { type: 'redis', url: '${env:REDIS_URL}' } }));
 * const connector = createConnector(config);
 * attach(connector);
 * await stores.closeAll();
 * ```
 */
export class RegistryStores {
  /** Each holder with its first connection attempt, which every connector using it awaits once. */
  readonly #holders = new Map<string, { holder: RedisStores; ready: Promise<boolean> }>();

  /**
   * Resolves the config's `store` (its URL may be a secret reference) and puts the
   * shared stores into the config. The `store` setting itself is left out of the
   * returned config; a bad URL is a `CONFIG` error that never shows its value.
   */
  async wire(config: ConnectorConfig, env?: Readonly<Record<string, string | undefined>>): Promise<WiredConfig> {
    const { store, ...rest } = config as ConnectorConfig & { store?: StoreConfig };
    const wired = rest as ConnectorConfig;
    if (store === undefined || store.type === 'memory') return { config: wired, attach: () => undefined };
    const holder = await this.#holder(config.name, store, env);
    const own = holder.forConnector(config.name, { onStoreError: store.onStoreError });
    if (wired.rateLimit && wired.rateLimit.store === undefined) wired.rateLimit = { ...wired.rateLimit, store: own.rateLimitStore() };
    if (wired.circuitBreaker && wired.circuitBreaker.store === undefined) wired.circuitBreaker = { ...wired.circuitBreaker, store: own.breakerStore() };
    if (wired.auth.type === 'oauth2' && wired.auth.tokenStore === undefined) wired.auth = { ...wired.auth, tokenStore: own.tokenStore() };
    return {
      config: wired,
      attach: (connector) => {
        const events = (connector as { events?: unknown }).events;
        if (events instanceof TypedEvents) own.attach(events as TypedEvents<ConnectorEvents>);
      },
    };
  }

  /** Closes every holder's connections. */
  async closeAll(): Promise<void> {
    const entries = [...this.#holders.values()];
    this.#holders.clear();
    await Promise.allSettled(entries.map((entry) => entry.holder.close()));
  }

  async #holder(connector: string, store: RedisStoreConfig, env: Readonly<Record<string, string | undefined>> | undefined): Promise<RedisStores> {
    const url = await resolveRedisUrl(store.url, { option: `store.url of connector "${connector}"`, ...(env ? { env } : {}) });
    const id = [url, store.keyPrefix, store.commandTimeout].join('\u0000');
    let entry = this.#holders.get(id);
    if (entry === undefined) {
      const holder = createRedisStores({ url, keyPrefix: store.keyPrefix, onStoreError: store.onStoreError, commandTimeoutMs: store.commandTimeout });
      entry = { holder, ready: holder.ready(READY_MS) };
      this.#holders.set(id, entry);
    }
    await entry.ready;
    return entry.holder;
  }
}
