import { z } from 'zod';
import { durationMs, httpUrl } from '../../core/config.js';
import { delayMs, falseOr, wholeNumber } from '../../policies/fields.js';

/**
 * An absolute `ws://`, `wss://`, `http://` or `https://` URL; `http` becomes `ws`
 * and `https` becomes `wss` when the socket opens.
 *
 * @example
 * ```ts
 * import { socketBaseUrl } from 'ia-connectors';
 * socketBaseUrl().parse('wss://stream.example.com/v1');
 * ```
 */
export function socketBaseUrl() {
  return httpUrl({ schemes: ['ws:', 'wss:', 'http:', 'https:'], example: 'wss://stream.example.com' });
}

/**
 * The path (and optional query) appended to the base URL's path, e.g. `/ws` or
 * `/stream?room=1`; empty means the base URL itself.
 *
 * @example
 * ```ts
 * import { socketEndpoint } from 'ia-connectors';
 * socketEndpoint().parse('/ws');
 * ```
 */
export function socketEndpoint() {
  return z
    .string({ error: 'must be a path such as "/ws"' })
    .superRefine((value, ctx) => {
      if (value === '') return;
      if (!value.startsWith('/') || value.startsWith('//')) ctx.addIssue({ code: 'custom', message: `must start with a single "/", e.g. "/ws"; got "${value}"` });
      if (value.includes('#')) ctx.addIssue({ code: 'custom', message: 'remove the "#fragment"; it is never sent' });
      if (/(^|\/)\.\.?(\/|\?|$)/.test(value.split('?')[0] ?? '')) ctx.addIssue({ code: 'custom', message: 'must not contain "." or ".." segments' });
      if (/[\s\\]/.test(value)) ctx.addIssue({ code: 'custom', message: 'must not contain spaces or backslashes; percent-encode them' });
    })
    .default('');
}

/**
 * Liveness probing: a ping every `interval` ms; a pong missing for `timeout` ms
 * means the peer is dead, and the socket is dropped (and reopened).
 *
 * @example
 * ```ts
 * import { heartbeatConfigSchema } from 'ia-connectors';
 * heartbeatConfigSchema.parse({ interval: 15_000, timeout: 5_000 });
 * ```
 */
export const heartbeatConfigSchema = z
  .object({
    interval: durationMs().default(30_000),
    timeout: durationMs().default(10_000),
  })
  .strict();

/**
 * Reopening after the connection drops: up to `maxAttempts` rounds, each through
 * the policy chain, waiting a backoff with jitter between rounds.
 *
 * @example
 * ```ts
 * import { reconnectConfigSchema } from 'ia-connectors';
 * reconnectConfigSchema.parse({ maxAttempts: 20, baseDelay: 250, maxDelay: 10_000 });
 * ```
 */
export const reconnectConfigSchema = z
  .object({
    maxAttempts: wholeNumber('attempts', 10, 1, 1_000_000).default(10),
    baseDelay: delayMs().default(500),
    maxDelay: delayMs().default(30_000),
    jitter: z.enum(['full', 'decorrelated', 'none'], { error: 'must be "full", "decorrelated" or "none"' }).default('full'),
  })
  .strict()
  .refine((r) => r.maxDelay >= r.baseDelay, { path: ['maxDelay'], error: 'must be at least baseDelay' });

/**
 * Unmatched incoming messages wait here for `receive()` and `stream()`: at most
 * `size` of them. When full, `overflow: 'error'` drops new messages until a reader
 * takes a `QUEUE_FULL` error; `'drop-oldest'` discards the oldest to make room.
 *
 * @example
 * ```ts
 * import { receiveBufferSchema } from 'ia-connectors';
 * receiveBufferSchema.parse({ size: 100, overflow: 'drop-oldest' });
 * ```
 */
export const receiveBufferSchema = z
  .object({
    size: wholeNumber('messages', 1000, 1, 1_000_000).default(1000),
    overflow: z.enum(['error', 'drop-oldest'], { error: 'must be "error" or "drop-oldest"' }).default('error'),
  })
  .strict();

/**
 * Request/response matching: `request()` stamps an id into `field` and waits up to
 * `timeout` ms for a reply carrying the same id.
 *
 * @example
 * ```ts
 * import { correlationSchema } from 'ia-connectors';
 * correlationSchema.parse({ field: 'requestId', timeout: 5000 });
 * ```
 */
export const correlationSchema = z
  .object({
    field: z.string({ error: 'must be a field name such as "id"' }).min(1, { error: 'must not be empty' }).default('id'),
    timeout: durationMs().default(30_000),
  })
  .strict();

/**
 * The nested sections of a WebSocket connector config, each with its default.
 *
 * @example
 * ```ts
 * import { socketSections } from 'ia-connectors';
 * socketSections.heartbeat.parse(false); // false: no pings
 * ```
 */
export const socketSections = {
  heartbeat: falseOr(heartbeatConfigSchema, '{ interval: 30000, timeout: 10000 }').default(() => heartbeatConfigSchema.parse({})),
  reconnect: falseOr(reconnectConfigSchema, '{ maxAttempts: 10 }').default(() => reconnectConfigSchema.parse({})),
  receiveBuffer: receiveBufferSchema.default(() => receiveBufferSchema.parse({})),
  sendQueue: z
    .object({ size: wholeNumber('messages', 1000, 1, 1_000_000).default(1000) })
    .strict()
    .default({ size: 1000 }),
  correlation: correlationSchema.default(() => correlationSchema.parse({})),
};
