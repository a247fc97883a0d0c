import { z } from 'zod';
import { durationMs } from '../../core/config.js';

const pemOrPath = (what: string) =>
  z
    .string({ error: `must be the path of a PEM file (${what}) or the PEM text itself` })
    .min(1, { error: `must not be empty; give the path of the ${what} PEM file` });

/**
 * TLS of a gRPC channel: `false` (plaintext), `true` (TLS trusting the system roots)
 * or an object with a private CA, a client certificate and key for mutual TLS, and a
 * server name override. Certificates and keys are file paths (read at connect) or
 * PEM text.
 *
 * @example
 * ```ts
 * import { grpcTlsSchema } from 'ia-connectors';
 * grpcTlsSchema.parse({ ca: '/etc/ssl/private-ca.pem', cert: '/etc/app/client.pem', key: '/etc/app/client.key' });
 * ```
 */
export const grpcTlsSchema = z.union(
  [
    z.boolean(),
    z
      .object({
        /** Trusted CA certificates instead of the system roots. */
        ca: pemOrPath('CA certificate').optional(),
        /** Client certificate chain for mutual TLS; needs `key`. */
        cert: pemOrPath('client certificate').optional(),
        /** Private key of `cert`. */
        key: pemOrPath('client private key').optional(),
        /** Name to verify the server certificate against (and the :authority sent), when it differs from the target host. */
        serverName: z.string().min(1, { error: 'must not be empty' }).optional(),
        /** Keep on: turning verification off accepts any certificate. */
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict(),
  ],
  { error: 'must be true (system roots), false (plaintext) or { ca, cert, key, serverName }' },
);

/**
 * Channel settings: keepalive pings, message size limits, load balancing across the
 * addresses a name resolves to, and raw `grpc.*` channel options for anything else.
 *
 * @example
 * ```ts
 * import { grpcChannelSchema } from 'ia-connectors';
 * grpcChannelSchema.parse({ keepalive: { time: 30_000 }, maxReceiveMessageBytes: 16 * 1024 * 1024, loadBalancing: 'round_robin' });
 * ```
 */
export const grpcChannelSchema = z
  .object({
    keepalive: z
      .object({
        /** Interval between pings on an idle connection. */
        time: durationMs().optional(),
        /** How long to wait for a ping's answer before dropping the connection. */
        timeout: durationMs().default(20_000),
        /** Ping even without calls in progress (the server must allow it). */
        permitWithoutCalls: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** Largest message sent, in bytes; larger ones fail with MESSAGE_TOO_LARGE. Unlimited by default. */
    maxSendMessageBytes: z.number().int().positive({ error: 'must be a positive number of bytes' }).optional(),
    /** Largest message received, in bytes. @default 4 MiB, gRPC's own default */
    maxReceiveMessageBytes: z
      .number()
      .int()
      .positive({ error: 'must be a positive number of bytes, e.g. 4194304' })
      .default(4 * 1024 * 1024),
    /** How calls spread over the resolved addresses. @default 'pick_first' */
    loadBalancing: z.enum(['pick_first', 'round_robin'], { error: 'must be "pick_first" or "round_robin"' }).default('pick_first'),
    /** Any other grpc-js channel option, e.g. { "grpc.initial_reconnect_backoff_ms": 500 }. */
    options: z.record(z.string(), z.union([z.string(), z.number()], { error: 'channel option values are strings or numbers' })).default({}),
  })
  .strict()
  .superRefine((channel, ctx) => {
    for (const key of Object.keys(channel.options)) {
      if (/^grpc(-node)?\./.test(key)) continue;
      ctx.addIssue({ code: 'custom', path: ['options', key], message: 'channel option names start with "grpc." or "grpc-node.", e.g. "grpc.max_connection_idle_ms"' });
    }
  });

/**
 * How response messages are turned into objects: 64-bit integers as strings (exact)
 * or numbers, enums as names or numbers, bytes as `Buffer`s or base64 text, and
 * whether fields left at their default are filled in.
 *
 * @example
 * ```ts
 * import { grpcDecodeSchema } from 'ia-connectors';
 * grpcDecodeSchema.parse({ longs: 'number', bytes: 'base64' });
 * ```
 */
export const grpcDecodeSchema = z
  .object({
    longs: z.enum(['string', 'number'], { error: 'must be "string" (exact) or "number"' }).default('string'),
    enums: z.enum(['string', 'number'], { error: 'must be "string" or "number"' }).default('string'),
    bytes: z.enum(['buffer', 'base64'], { error: 'must be "buffer" or "base64"' }).default('buffer'),
    /** Fill in fields the server left at their default (0, "", false, []), as proto3 leaves them off the wire. */
    defaults: z.boolean().default(true),
  })
  .strict();

/**
 * Parsed {@link grpcDecodeSchema}.
 *
 * @example
 * ```ts
 * import type { GrpcDecodeOptions } from 'ia-connectors';
 * const d: GrpcDecodeOptions = { longs: 'string', enums: 'string', bytes: 'buffer', defaults: true };
 * ```
 */
export type GrpcDecodeOptions = z.output<typeof grpcDecodeSchema>;
