import type { Redis } from 'ioredis';
import { ConnectorError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';
import { loadIoredis } from '../policies/stores/redis/load-ioredis.js';
import { redactRedisUrl } from '../policies/stores/redis/redis-url.js';

/**
 * Where a distributed run's Redis is and how long to wait for it: a checked Redis URL
 * (see `resolveRedisUrl`), the key prefix, and the bound on connecting.
 *
 * @example
 * ```ts
 * import type { RedisTarget } from 'ia-connectors';
 * const target: RedisTarget = { redis: 'redis://127.0.0.1:6379', prefix: 'ia-connectors', connectTimeoutMs: 5000 };
 * ```
 */
export interface RedisTarget {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  redis: string;
  /** Prefix of every key, BullMQ's included. @default 'ia-connectors' */
  prefix?: string;
  /** How long the first connection may take before the call fails. @default 5000 */
  connectTimeoutMs?: number;
}

/**
 * The connection settings every connection shares (BullMQ's take the same shape):
 * bounded connects, and commands that wait through reconnects.
 *
 * @example
 * ```ts
 * import { redisOptions } from './connect.js';
 * redisOptions({ redis: 'redis://127.0.0.1:6379' }); // { url, connectTimeout: 5000, maxRetriesPerRequest: null }
 * ```
 */
export function redisOptions(target: RedisTarget): { url: string; connectTimeout: number; maxRetriesPerRequest: null } {
  return { url: target.redis, connectTimeout: target.connectTimeoutMs ?? 5000, maxRetriesPerRequest: null };
}

/**
 * Opens a Redis connection, failing within `connectTimeoutMs` when Redis cannot be
 * reached. Once open, the connection reconnects by itself and commands wait for it,
 * because a worker must outlive a Redis restart.
 *
 * @throws {@link ConnectorError} `CONNECTION_REFUSED`, `CONNECT_TIMEOUT`, `DNS`, `AUTH` or `NETWORK`, naming the URL without its password.
 * @example
 * ```ts
 * import { openRedis } from './connect.js';
 * const redis = await openRedis({ redis: 'redis://127.0.0.1:6379' });
 * await redis.quit();
 * ```
 */
export async function openRedis(target: RedisTarget, onError: (error: Error) => void = () => {}): Promise<Redis> {
  const { Redis } = loadIoredis();
  const { url, ...options } = redisOptions(target);
  const timeoutMs = options.connectTimeout;
  // A short disconnectTimeout: ioredis's default keeps the process alive 2 s after a failed probe.
  const probe = new Redis(url, { ...options, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, disconnectTimeout: 100 });
  // The connect promise rejects with a generic "Connection is closed"; the cause is in the error event.
  let cause: unknown;
  probe.on('error', (error: unknown) => {
    cause ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs + 250);
    });
    await Promise.race([probe.connect().then(() => probe.ping()), deadline]);
  } catch (error) {
    throw unreachable(target.redis, cause ?? error);
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
  const client = new Redis(url, options);
  client.on('error', onError);
  return client;
}

function unreachable(url: string, error: unknown): ConnectorError {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const kind: ErrorCode =
    code === 'ECONNREFUSED'
      ? 'CONNECTION_REFUSED'
      : code === 'ETIMEDOUT' || /ETIMEDOUT/.test(text)
        ? 'CONNECT_TIMEOUT'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'DNS'
          : /^(NOAUTH|WRONGPASS)/.test(text)
            ? 'AUTH'
            : 'NETWORK';
  const fix = kind === 'AUTH' ? 'check the user and password in the URL' : 'check that Redis runs there and the URL is right';
  return new ConnectorError(kind, `Redis at ${redactRedisUrl(url)} cannot be reached: ${text}; ${fix}`, { cause: error, retryable: kind !== 'AUTH' });
}
