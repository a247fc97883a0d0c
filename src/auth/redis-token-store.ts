import { createHash, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ConnectorError } from '../core/errors.js';
import { RedisUpdateChannel } from './redis-update-channel.js';
import type { RefreshLease, StoredToken, TokenStore } from './token-store.js';

/**
 * Options of {@link RedisTokenStore}.
 *
 * @example
 * ```ts
 * import type { RedisTokenStoreOptions } from 'ia-connectors';
 * const options: RedisTokenStoreOptions = { keyPrefix: 'etl:oauth:', expiryGraceMs: 60_000 };
 * ```
 */
export interface RedisTokenStoreOptions {
  /** Put before every key and the update channel, e.g. `"etl:oauth:"`. */
  keyPrefix: string;
  /** How long a token without a refresh token stays in Redis after it expires. @default 60000 */
  expiryGraceMs?: number;
  /**
   * Lifetime of a token that carries a refresh token. By default it is kept until
   * replaced or deleted, since the refresh token usually outlives the access token
   * and, once rotated, is the only one the server still accepts.
   */
  refreshTokenTtlMs?: number;
}

const storedTokenSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  obtainedAt: z.number(),
  expiresAt: z.number().optional(),
  refreshToken: z.string().optional(),
  scope: z.string().optional(),
});

// Deletes the lease only while it still holds this owner's id (an expired lease taken over
// by another process must survive the first holder's late release), then wakes the waiters:
// a holder that failed wrote no token, and the next one should not wait for a timeout.
const RELEASE_IF_OWNER = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('publish', ARGV[2], ARGV[3])
  return 1
end
return 0`;

/**
 * A {@link TokenStore} in Redis (ioredis) that many worker processes share: one token,
 * one rotating refresh token, and a refresh lease so that one process refreshes while
 * the others wait for its token.
 *
 * - A token is one JSON value under `${keyPrefix}token:<sha256 of the store key>` (the
 *   store key names the client and may identify a user, so it is hashed), written in one
 *   `MULTI` with its update notice: readers never see a new access token with an old
 *   refresh token. It expires `expiryGraceMs` after the token does, unless it carries a
 *   refresh token (see `refreshTokenTtlMs`).
 * - The lease is `SET NX PX` of a random owner id; `release()` deletes it only while
 *   this owner still holds it (a Lua compare-and-delete) and wakes the waiters.
 * - `waitForUpdate` listens on `${keyPrefix}token-updates` through one extra connection
 *   (a duplicate of `client`), opened on first use and shared by the store. It also
 *   resolves when the key's lease is released, at once when nobody holds the lease
 *   (nothing to wait for), and after the timeout at the latest, so a missed notice
 *   costs one timeout, never a hang. Callers re-read the token after it resolves.
 *
 * The caller keeps ownership of `client`; `close()` ends only the store's own
 * subscriber connection. Neither `toJSON()` nor `util.inspect` shows a token or the
 * Redis address.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisTokenStore, createRestConnector } from 'ia-connectors';
 * const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const tokenStore = new RedisTokenStore(redis, { keyPrefix: 'etl:oauth:' });
 * const api = createRestConnector({
 *   name: 'users', baseUrl: 'https://api.example.com',
 *   auth: { type: 'oauth2', tokenUrl: 'https://auth.example.com/token', clientId: 'etl', clientSecret: '${env:ETL_SECRET}', tokenStore },
 * });
 * // on shutdown: await api.disconnect(); await tokenStore.close(); await redis.quit();
 * ```
 */
export class RedisTokenStore implements TokenStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #graceMs: number;
  readonly #refreshTtlMs: number | undefined;
  readonly #channel: string;
  readonly #updates: RedisUpdateChannel;

  constructor(client: Redis, options: RedisTokenStoreOptions) {
    if (typeof (client as Partial<Redis> | null)?.duplicate !== 'function') {
      throw new ConnectorError('CONFIG', 'RedisTokenStore: client must be an ioredis Redis instance, e.g. new Redis(process.env.REDIS_URL)');
    }
    if (typeof options?.keyPrefix !== 'string') {
      throw new ConnectorError('CONFIG', 'RedisTokenStore: keyPrefix must be a string, e.g. { keyPrefix: "etl:oauth:" }');
    }
    this.#client = client;
    this.#prefix = options.keyPrefix;
    this.#graceMs = positiveMs(options.expiryGraceMs, 'expiryGraceMs') ?? 60_000;
    this.#refreshTtlMs = positiveMs(options.refreshTokenTtlMs, 'refreshTokenTtlMs');
    this.#channel = `${this.#prefix}token-updates`;
    this.#updates = new RedisUpdateChannel(client, this.#channel);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await this.#client.get(this.#tokenKey(key));
    if (raw === null) return undefined;
    const parsed = storedTokenSchema.safeParse(safeJson(raw));
    // An unreadable value is treated as absent, so the next refresh overwrites it.
    return parsed.success ? parsed.data : undefined;
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const id = hash(key);
    const value = JSON.stringify(token);
    const ttl = this.#ttlOf(token);
    const tx = this.#client.multi();
    if (ttl === undefined) tx.set(this.#tokenKey(key), value);
    else tx.set(this.#tokenKey(key), value, 'PX', ttl);
    await execAll(tx.publish(this.#channel, id));
  }

  async delete(key: string): Promise<void> {
    await execAll(this.#client.multi().del(this.#tokenKey(key)).publish(this.#channel, hash(key)));
  }

  async acquireRefreshLease(key: string, ttlMs: number): Promise<RefreshLease | undefined> {
    const leaseKey = this.#leaseKey(key);
    const owner = randomUUID();
    const taken = await this.#client.set(leaseKey, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (taken !== 'OK') return undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.#client.eval(RELEASE_IF_OWNER, 1, leaseKey, owner, this.#channel, hash(key));
      },
    };
  }

  waitForUpdate(key: string, timeoutMs: number): Promise<void> {
    // Once listening, a lease nobody holds means the update may already have happened.
    return this.#updates.wait(hash(key), timeoutMs, async () => (await this.#client.exists(this.#leaseKey(key))) === 0);
  }

  /** Ends the subscriber connection (not the caller's client) and wakes every waiter. */
  async close(): Promise<void> {
    this.#updates.close();
  }

  /** The key prefix only: never a token, the client or its address. */
  toJSON(): { type: string; keyPrefix: string } {
    return { type: 'RedisTokenStore', keyPrefix: this.#prefix };
  }

  [inspect.custom](): unknown {
    return this.toJSON();
  }

  #ttlOf(token: StoredToken): number | undefined {
    if (token.refreshToken !== undefined) return this.#refreshTtlMs;
    if (token.expiresAt === undefined) return undefined;
    return Math.max(1, Math.ceil(token.expiresAt - Date.now() + this.#graceMs));
  }

  #tokenKey(key: string): string {
    return `${this.#prefix}token:${hash(key)}`;
  }

  #leaseKey(key: string): string {
    return `${this.#prefix}lease:${hash(key)}`;
  }
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

function positiveMs(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConnectorError('CONFIG', `RedisTokenStore: ${field} must be a positive number of milliseconds, e.g. 60000`);
  }
  return value;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// EXEC reports each command's error in its reply instead of rejecting.
async function execAll(tx: { exec(): Promise<[Error | null, unknown][] | null> }): Promise<void> {
  const replies = await tx.exec();
  if (replies === null) throw new Error('the Redis transaction was aborted');
  for (const [error] of replies) if (error) throw error;
}
