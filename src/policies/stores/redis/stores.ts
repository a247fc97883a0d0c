import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RedisTokenStore } from '../../../auth/redis-token-store.js';
import type { ConnectorEvents } from '../../../core/connector-events.js';
import { durationMs, parseConfig } from '../../../core/config.js';
import { TypedEvents, type Disposable } from '../../../core/events.js';
import { Redactor } from '../../../observability/redact.js';
import { codeField } from '../../fields.js';
import { isRedisUrl, STORE_ERROR_POLICIES, type StoreErrorPolicy } from '../../store-schema.js';
import { RedisBreakerStore } from './breaker.js';
import { ConnectorStores } from './connector-stores.js';
import { RedisHealth } from './health.js';
import { loadIoredis } from './load-ioredis.js';
import { RedisRateLimitStore } from './rate-limit.js';

const optionsSchema = z
  .object({
    url: z.string().refine(isRedisUrl, { error: 'must be a redis:// or rediss:// URL such as "redis://127.0.0.1:6379"' }).optional(),
    client: codeField<Redis>((v) => typeof (v as Partial<Redis> | null)?.duplicate === 'function', 'must be an ioredis Redis instance, e.g. new Redis(process.env.REDIS_URL)').optional(),
    keyPrefix: z.string().min(1, { error: 'must not be empty, e.g. "iac:"' }).default('iac:'),
    onStoreError: z.enum(STORE_ERROR_POLICIES, { error: `must be one of ${STORE_ERROR_POLICIES.join(', ')}` }).default('local'),
    commandTimeoutMs: durationMs(60_000).default(100),
  })
  .strict()
  .refine((o) => (o.url === undefined) !== (o.client === undefined), { error: 'set either url (e.g. "redis://127.0.0.1:6379") or client (an ioredis Redis), not both', path: ['url'] });

/**
 * Options of {@link createRedisStores}: a Redis `url` (the holder opens and owns the
 * connection) or a `client` you own; the key prefix; the default failure policy; and
 * the longest wait for one command before Redis counts as unavailable.
 *
 * @example
 * ```ts
 * import type { RedisStoresOptions } from 'ia-connectors';
 * const o: RedisStoresOptions = { url: process.env.REDIS_URL, keyPrefix: 'etl:', onStoreError: 'fail_open', commandTimeoutMs: 150 };
 * ```
 */
export type RedisStoresOptions = z.input<typeof optionsSchema>;

/**
 * The events of a {@link RedisStores} holder: every connector's `storeError` and
 * `storeRecovered`.
 *
 * @example
 * ```ts
 * import type { RedisStoresEvents } from 'ia-connectors';
 * const log = (e: RedisStoresEvents['storeError']) => console.warn(`${e.connector} ${e.store}: ${e.message}`);
 * ```
 */
export type RedisStoresEvents = Pick<ConnectorEvents, 'storeError' | 'storeRecovered'>;

/**
 * One Redis connection (plus one subscriber connection) holding the shared stores of
 * many connectors. Its own connection fails fast: each command waits at most
 * `commandTimeoutMs` (default 100 ms), nothing is queued while disconnected, and it
 * reconnects by itself, so Redis trouble never hangs a call; meanwhile each
 * connector follows its failure policy (see {@link ConnectorStores}). It also counts
 * the live holders (processes) sharing the key prefix, for the `local` policy's share.
 * `close()` ends what it opened; a `client` you passed stays yours.
 *
 * @example
 * ```ts
 * import { createRedisStores, createRestConnector } from 'ia-connectors';
 * await using stores = createRedisStores({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * using _ = stores.on('storeError', (e) => console.warn(`${e.connector}: ${e.message}`));
 * const users = stores.forConnector('users');
 * const api = createRestConnector({
 *   name: 'users', baseUrl: 'https://api.example.com',
 *   rateLimit: { perSecond: 200, burst: 10, store: users.rateLimitStore() },
 *   circuitBreaker: { threshold: 5, store: users.breakerStore() },
 * });
 * ```
 */
export class RedisStores implements AsyncDisposable {
  readonly keyPrefix: string;
  readonly onStoreError: StoreErrorPolicy;
  readonly #client: Redis;
  readonly #owned: boolean;
  readonly #health: RedisHealth;
  readonly #rateLimit: RedisRateLimitStore;
  readonly #breaker: RedisBreakerStore;
  readonly #events = new TypedEvents<RedisStoresEvents>();
  readonly #connectors = new Set<ConnectorStores>();
  #tokens: RedisTokenStore | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: RedisStoresOptions) {
    const config = parseConfig(optionsSchema, options, 'createRedisStores() options');
    this.keyPrefix = config.keyPrefix;
    this.onStoreError = config.onStoreError;
    this.#owned = config.client === undefined;
    this.#client = config.client ?? openClient(config.url as string, config.commandTimeoutMs);
    const redactor = redactorFor(config.url, this.#client);
    this.#health = new RedisHealth(this.#client, { keyPrefix: this.keyPrefix, redact: (error) => redactor.message(error) });
    this.#rateLimit = new RedisRateLimitStore(this.#client, { keyPrefix: this.keyPrefix });
    this.#breaker = new RedisBreakerStore(this.#client, { keyPrefix: this.keyPrefix, onError: (error) => this.#health.fail(error) });
  }

  /** The connection the stores use (for a `RedisTokenStore` of your own, say). */
  get client(): Redis {
    return this.#client;
  }

  /** True while Redis answers; false while the failure policies apply. */
  get available(): boolean {
    return this.#health.up;
  }

  /** Live holders sharing this Redis and key prefix, as last counted (at least 1). */
  get processes(): number {
    return this.#health.processes;
  }

  /** Subscribes to every connector's store events; dispose the handle to unsubscribe. */
  on<K extends keyof RedisStoresEvents>(event: K, listener: (payload: RedisStoresEvents[K]) => void): Disposable {
    return this.#events.on(event, listener);
  }

  /** Resolves `true` once Redis is connected, or `false` after `timeoutMs` (the stores work meanwhile, by their policy). */
  ready(timeoutMs = 1000): Promise<boolean> {
    return this.#health.whenUp(timeoutMs);
  }

  /** The stores of one connector, with its failure policy (default: the holder's `onStoreError`). */
  forConnector(connector: string, options: { onStoreError?: StoreErrorPolicy } = {}): ConnectorStores {
    const stores = new ConnectorStores(connector, options.onStoreError ?? this.onStoreError, {
      health: this.#health,
      rateLimit: this.#rateLimit,
      breaker: this.#breaker,
      tokens: () => (this.#tokens ??= new RedisTokenStore(this.#client, { keyPrefix: `${this.keyPrefix}oauth:` })),
      events: this.#events,
    });
    this.#connectors.add(stores);
    return stores;
  }

  /** Sends batched breaker outcomes, then closes the connections it opened; safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Key prefix, availability and process count; never the URL. */
  toJSON(): { type: string; keyPrefix: string; available: boolean; processes: number } {
    return { type: 'RedisStores', keyPrefix: this.keyPrefix, available: this.available, processes: this.processes };
  }

  async #close(): Promise<void> {
    for (const stores of this.#connectors) stores.dispose();
    this.#connectors.clear();
    await this.#breaker.close();
    await this.#tokens?.close();
    await this.#health.close();
    if (!this.#owned) return;
    await this.#client.quit().catch(() => undefined);
    this.#client.disconnect();
  }
}

/**
 * Creates a {@link RedisStores} holder; invalid options throw a `CONFIG` error naming
 * the field (never the URL's value).
 *
 * @example
 * ```ts
 * import { createRedisStores, rateLimitPolicy } from 'ia-connectors';
 * const stores = createRedisStores({ url: 'redis://127.0.0.1:6379', keyPrefix: 'etl:', onStoreError: 'fail_closed' });
 * const limiter = rateLimitPolicy({ perSecond: 200, store: stores.forConnector('users').rateLimitStore() }, { name: 'users' });
 * ```
 */
export function createRedisStores(options: RedisStoresOptions): RedisStores {
  return new RedisStores(options);
}

function openClient(url: string, commandTimeout: number): Redis {
  const { Redis } = loadIoredis();
  const client = new Redis(url, {
    commandTimeout,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: Math.max(1000, commandTimeout * 10),
    // Reconnect soon after an outage; the stores answer by their policy meanwhile.
    retryStrategy: (times) => Math.min(50 * times, 500),
    connectionName: 'ia-connectors',
  });
  client.on('error', () => undefined);
  return client;
}

function redactorFor(url: string | undefined, client: Redis): Redactor {
  const secrets: string[] = [];
  if (url !== undefined) {
    secrets.push(url);
    const { password, username } = new URL(url);
    if (password) secrets.push(password, decodeURIComponent(password));
    if (username && password) secrets.push(`${username}:${password}`);
  }
  const password = client.options.password;
  if (password) secrets.push(password);
  return new Redactor({ secrets });
}
