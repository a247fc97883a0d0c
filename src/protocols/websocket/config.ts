import { z } from 'zod';
import { durationMs, tlsConfigSchema } from '../../core/config.js';
import { authConfigSchema } from '../../auth/schema.js';
import { headerNameSchema } from '../../auth/common-schema.js';
import { policyConfigShape } from '../../policies/schema.js';
import { socketBaseUrl, socketEndpoint, socketSections } from './config-parts.js';

// RFC 6455 subprotocol names are RFC 7230 tokens.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const AUTH_IN_ONLY = { authQueryParam: 'query', authMessage: 'message', authMessageField: 'message' } as const;

/**
 * Configuration of a WebSocket connector. Every field but `name` and `baseUrl`
 * has a default.
 *
 * @example
 * ```ts
 * import { websocketConnectorConfigSchema } from 'ia-connectors';
 * const cfg = websocketConnectorConfigSchema.parse({ name: 'ticker', protocol: 'websocket', baseUrl: 'ws://127.0.0.1:8080', endpoint: '/ws' });
 * ```
 */
export const websocketConnectorConfigSchema = z
  .object({
    name: z
      .string({ error: 'must be a string such as "ticker"' })
      .regex(/^[A-Za-z0-9_.-]+$/, { error: 'use letters, digits, "_", "-" or "." only, e.g. "market_feed"' }),
    protocol: z.literal('websocket', { error: 'must be "websocket"' }),
    /** `ws(s)://` or `http(s)://` (turned into `ws(s)://`); its path is a prefix of `endpoint`. */
    baseUrl: socketBaseUrl(),
    /** Path (and query) of the socket under the base URL, e.g. `/ws`. */
    endpoint: socketEndpoint(),
    /** Headers sent with the opening handshake. */
    headers: z.record(headerNameSchema(), z.string({ error: 'header values must be strings' })).default({}),
    /** Subprotocols offered in `Sec-WebSocket-Protocol`, in order of preference. */
    subprotocols: z
      .array(z.string().regex(TOKEN, { error: 'is not a valid subprotocol name; use a token such as "graphql-transport-ws"' }))
      .refine((list) => new Set(list).size === list.length, { error: 'must not repeat a subprotocol' })
      .default([]),
    /** Largest message in bytes, received or sent; a bigger one fails with `MESSAGE_TOO_LARGE`. */
    maxPayload: z
      .number({ error: 'must be a number of bytes, e.g. 1048576' })
      .int({ error: 'must be a whole number of bytes, e.g. 1048576' })
      .positive({ error: 'must be a positive number of bytes, e.g. 1048576' })
      .max(1024 * 1024 * 1024, { error: 'must be at most 1 GiB' })
      .default(16 * 1024 * 1024),
    /** Offer permessage-deflate compression (costs CPU and memory per socket). */
    perMessageDeflate: z.boolean({ error: 'must be true or false' }).default(false),
    /** How decoded text frames are read: `json` parses them (non-JSON stays text, flagged), `text` never parses. */
    format: z.enum(['json', 'text'], { error: 'must be "json" or "text"' }).default('json'),
    tls: tlsConfigSchema(),
    auth: authConfigSchema.default({ type: 'none' }),
    /** Where credentials go: handshake `headers`, a `query` parameter, or a first `message`. */
    authIn: z.enum(['headers', 'query', 'message'], { error: 'must be "headers", "query" or "message"' }).default('headers'),
    /** `authIn: query`: the parameter carrying the token. @default 'access_token' */
    authQueryParam: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** `authIn: message`: the first message sent, the token added under `authMessageField`. @default { type: 'auth' } */
    authMessage: z.record(z.string(), z.unknown(), { error: 'must be an object such as { "type": "auth" }' }).optional(),
    /** `authIn: message`: the field of `authMessage` that carries the token. @default 'token' */
    authMessageField: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** How long `close()` waits for the server's close frame before dropping the socket. */
    closeTimeout: durationMs().default(5000),
    healthCheck: z.object({ timeout: durationMs().default(5000) }).strict().default({ timeout: 5000 }),
    ...socketSections,
    ...policyConfigShape,
  })
  .strict()
  .superRefine((cfg, ctx) => {
    for (const [field, mode] of Object.entries(AUTH_IN_ONLY)) {
      if (cfg[field as keyof typeof AUTH_IN_ONLY] !== undefined && cfg.authIn !== mode) {
        ctx.addIssue({ code: 'custom', path: [field], message: `applies to authIn: "${mode}" only; set authIn: "${mode}" or remove it` });
      }
    }
  });

/**
 * What a user writes for a WebSocket connector (defaults optional).
 *
 * @example
 * ```ts
 * import type { WebSocketConnectorOptions } from 'ia-connectors';
 * const o: WebSocketConnectorOptions = { name: 'feed', protocol: 'websocket', baseUrl: 'ws://127.0.0.1:8080', endpoint: '/ws' };
 * ```
 */
export type WebSocketConnectorOptions = z.input<typeof websocketConnectorConfigSchema>;

/**
 * A WebSocket connector config with every default filled in.
 *
 * @example
 * ```ts
 * import type { WebSocketConnectorConfig } from 'ia-connectors';
 * const pingsOn = (c: WebSocketConnectorConfig) => c.heartbeat !== false;
 * ```
 */
export type WebSocketConnectorConfig = z.output<typeof websocketConnectorConfigSchema>;
