import { z } from 'zod';
import { durationMs } from '../../../core/config.js';
import type { AuthCredentials } from '../../../auth/strategy.js';
import { codeField, isFunction } from '../../../policies/fields.js';

/**
 * Builds the `connection_init` payload from the credentials the auth strategy gave for
 * this connection (in code only).
 *
 * @example
 * ```ts
 * import type { ConnectionParamsBuilder } from 'ia-connectors';
 * const hasura: ConnectionParamsBuilder = (auth) => ({ headers: { ...auth.headers } });
 * ```
 */
export type ConnectionParamsBuilder = (credentials: AuthCredentials | undefined) => Record<string, unknown> | Promise<Record<string, unknown>>;

/**
 * Settings of graphql-ws subscriptions. Every field has a default, so `subscriptions: {}`
 * turns them on at `baseUrl` + `endpoint` over `ws://` (`wss://` for https).
 *
 * @example
 * ```ts
 * import { subscriptionsConfigSchema } from 'ia-connectors';
 * subscriptionsConfigSchema.parse({ url: 'ws://127.0.0.1:4000/graphql', keepAlive: 10_000 });
 * ```
 */
export const subscriptionsConfigSchema = z
  .object(
    {
      /** The graphql-ws endpoint; derived from `baseUrl` + `endpoint` when absent. */
      url: z
        .string({ error: 'must be a URL such as "ws://127.0.0.1:4000/graphql"' })
        .refine(isWsUrl, { error: 'must be an absolute ws:// or wss:// URL without credentials or fragment, e.g. "wss://api.example.com/graphql"' })
        .optional(),
      /** Interval of protocol pings while connected; `false` sends none. @default 12000 */
      keepAlive: msOrFalse(12_000).default(12_000),
      /** A ping not answered within this time drops the connection, which then reconnects. @default 5000 */
      pongTimeout: durationMs().default(5000),
      /** Longest wait for `connection_ack` after `connection_init`. @default 10000 */
      ackTimeout: durationMs().default(10_000),
      /** Consecutive failed reconnections before active subscriptions fail. @default 5 */
      reconnectAttempts: z
        .number({ error: 'must be a whole number of attempts, e.g. 5' })
        .int({ error: 'must be a whole number of attempts, e.g. 5' })
        .min(0, { error: 'must not be negative; 0 never reconnects' })
        .max(100, { error: 'must be at most 100' })
        .default(5),
      /** Results a subscription holds for a slow consumer before it fails with `QUEUE_FULL`. @default 1000 */
      maxBuffered: z.number({ error: 'must be a number of messages, e.g. 1000' }).int().min(1, { error: 'must be at least 1' }).max(1_000_000).default(1000),
      /** Largest message accepted, in bytes; a larger one fails with `MESSAGE_TOO_LARGE`. @default 10485760 */
      maxPayload: z.number({ error: 'must be a number of bytes, e.g. 1048576' }).int().positive({ error: 'must be a positive number of bytes' }).default(10 * 1024 * 1024),
      /** How often credentials that can expire are re-read; a new one reconnects and resubscribes. `false`: never. @default 30000 */
      credentialCheck: msOrFalse(30_000).default(30_000),
      /** Close codes by which a server rejects the credentials: they are renewed before reconnecting. @default [4403] */
      authCloseCodes: z
        .array(z.number().int().min(4000, { error: 'must be a close code from 4000 to 4999' }).max(4999, { error: 'must be a close code from 4000 to 4999' }))
        .default([4403]),
      /** Extra `connection_init` fields (merged over the credential headers), or in code a function building the payload. */
      connectionParams: z
        .union([z.record(z.string(), z.unknown()), codeField<ConnectionParamsBuilder>(isFunction, 'must be a function (credentials) => payload')], {
          error: 'must be an object of connection_init fields, or (in code) a function returning one',
        })
        .optional(),
    },
    { error: 'must be an object such as {} or { url: "ws://127.0.0.1:4000/graphql" }' },
  )
  .strict();

/**
 * Parsed {@link subscriptionsConfigSchema}.
 *
 * @example
 * ```ts
 * import { subscriptionsConfigSchema, type SubscriptionsConfig } from 'ia-connectors';
 * const s: SubscriptionsConfig = subscriptionsConfigSchema.parse({});
 * ```
 */
export type SubscriptionsConfig = z.output<typeof subscriptionsConfigSchema>;

function msOrFalse(example: number) {
  return z.union([z.literal(false), durationMs()], { error: `must be a number of milliseconds such as ${example}, or false to turn it off` });
}

function isWsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && !url.username && !url.password && !url.hash;
  } catch {
    return false;
  }
}
