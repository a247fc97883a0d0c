import { z } from 'zod';
import { durationMs } from '../core/config.js';

/**
 * What a connector does while its shared (Redis) store is unreachable: `local` keeps
 * serving from in-process stores (the rate limit scaled to this process's share of the
 * live processes), `fail_open` lets every call through the limiter and breaker, and
 * `fail_closed` fails calls at once with `STORE_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * import { STORE_ERROR_POLICIES } from 'ia-connectors';
 * STORE_ERROR_POLICIES.includes('local'); // true
 * ```
 */
export const STORE_ERROR_POLICIES = ['local', 'fail_open', 'fail_closed'] as const;

/**
 * One of {@link STORE_ERROR_POLICIES}.
 *
 * @example
 * ```ts
 * import type { StoreErrorPolicy } from 'ia-connectors';
 * const policy: StoreErrorPolicy = 'fail_closed';
 * ```
 */
export type StoreErrorPolicy = (typeof STORE_ERROR_POLICIES)[number];

const REFERENCE = /^\$\{(env|file):[^}]+\}$/;
const URL_HINT = 'must be a redis:// or rediss:// URL such as "redis://127.0.0.1:6379", or a reference such as "${env:REDIS_URL}"';

/**
 * A Redis URL as written in a config: a `${env:…}`/`${file:…}` reference (resolved at
 * connect, like other secrets) or a `redis://`/`rediss://` URL. Messages never repeat
 * the value, since a Redis URL may carry a password.
 *
 * @example
 * ```ts
 * import { redisUrlSchema } from './store-schema.js';
 * redisUrlSchema.parse('${env:REDIS_URL}');
 * ```
 */
export const redisUrlSchema = z.string({ error: URL_HINT }).superRefine((value, ctx) => {
  if (REFERENCE.test(value) || isRedisUrl(value)) return;
  ctx.addIssue({ code: 'custom', message: URL_HINT });
});

/**
 * True for an absolute `redis://` or `rediss://` URL.
 *
 * @example
 * ```ts
 * import { isRedisUrl } from './store-schema.js';
 * isRedisUrl('redis://127.0.0.1:6379/0'); // true
 * ```
 */
export function isRedisUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'redis:' || protocol === 'rediss:') && hostname !== '';
}

const memoryStoreSchema = z.object({ type: z.literal('memory') }).strict();

const redisStoreSchema = z
  .object({
    type: z.literal('redis'),
    /** `${env:REDIS_URL}` or `redis://[:password@]host:port[/db]`; never printed. */
    url: redisUrlSchema,
    /** Prefix of every key and channel, so several applications can share one Redis. @default 'iac:' */
    keyPrefix: z.string({ error: 'must be a string such as "iac:"' }).min(1, { error: 'must not be empty, e.g. "iac:"' }).max(100, { error: 'must be at most 100 characters' }).default('iac:'),
    /** What calls do while Redis is unreachable. @default 'local' */
    onStoreError: z.enum(STORE_ERROR_POLICIES, { error: `must be one of ${STORE_ERROR_POLICIES.join(', ')}` }).default('local'),
    /** Longest wait for one Redis command before the store counts as unavailable. @default 100 */
    commandTimeout: durationMs(60_000).default(100),
  })
  .strict();

/**
 * Where the rate limiter, circuit breaker and OAuth tokens of a connector live:
 * `memory` (each process on its own, the default) or `redis` (shared by every
 * process using the same URL and `keyPrefix`). Set it at the top of a connectors file
 * for all connectors, or per connector. The registry applies it; a connector built in
 * code takes stores from `createRedisStores()` instead.
 *
 * @example
 * ```ts
 * import { storeConfigSchema } from 'ia-connectors';
 * storeConfigSchema.parse({ type: 'redis', url: '${env:REDIS_URL}', onStoreError: 'fail_open' });
 * ```
 */
export const storeConfigSchema = z.discriminatedUnion('type', [memoryStoreSchema, redisStoreSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' || issue.code === 'invalid_type' ? 'must be { type: memory } or { type: redis, url: "${env:REDIS_URL}" }' : undefined,
});

/**
 * Parsed {@link storeConfigSchema}.
 *
 * @example
 * ```ts
 * import { storeConfigSchema, type StoreConfig } from 'ia-connectors';
 * const s: StoreConfig = storeConfigSchema.parse({ type: 'memory' });
 * ```
 */
export type StoreConfig = z.output<typeof storeConfigSchema>;

/**
 * A parsed `redis` store config.
 *
 * @example
 * ```ts
 * import type { RedisStoreConfig } from 'ia-connectors';
 * const s: RedisStoreConfig = { type: 'redis', url: '${env:REDIS_URL}', keyPrefix: 'iac:', onStoreError: 'local', commandTimeout: 100 };
 * ```
 */
export type RedisStoreConfig = Extract<StoreConfig, { type: 'redis' }>;
