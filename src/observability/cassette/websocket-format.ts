import { z } from 'zod';
import { recordedErrorSchema } from './error-schema.js';
import type { RecordedError } from './format.js';

/**
 * A WebSocket message as stored: JSON as JSON, text as text (`invalidJson` when a JSON
 * connector got text that is not JSON), bytes as base64.
 *
 * @example
 * ```ts
 * import type { RecordedMessage } from 'ia-connectors';
 * const m: RecordedMessage = { json: { type: 'tick', price: 101.5 } };
 * ```
 */
export type RecordedMessage = { json: unknown } | { text: string; invalidJson?: true } | { base64: string };

/**
 * What a WebSocket handshake carried, credentials hidden: the URL, the query
 * parameters and headers the auth layer added, the subprotocols offered and the
 * first messages sent before any other.
 *
 * @example
 * ```ts
 * import type { RecordedHandshake } from 'ia-connectors';
 * const h: RecordedHandshake = { url: 'ws://127.0.0.1:4014/ws', headers: { authorization: '[REDACTED]' } };
 * ```
 */
export interface RecordedHandshake {
  url: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  protocols?: string[];
  firstMessages?: string[];
}

/**
 * One recorded exchange of a WebSocket connector. `request.kind` says which:
 * `open` (a socket opening: its handshake, or the error; messages read before the first
 * send come with the first), `send` (a message sent and the messages read after it,
 * until the next send) or `request` (a message sent with `request()` and its reply, or
 * the error; the correlation field is left out of the stored message).
 *
 * @example
 * ```ts
 * import type { WebSocketInteraction } from 'ia-connectors';
 * const i: WebSocketInteraction = { request: { kind: 'send', message: { json: { type: 'subscribe' } } }, received: [{ json: { type: 'tick' } }] };
 * ```
 */
export interface WebSocketInteraction {
  request: Record<string, unknown>;
  handshake?: RecordedHandshake;
  reply?: unknown;
  received?: RecordedMessage[];
  error?: RecordedError;
  superseded?: true;
}

const recordedMessageSchema = z.union([
  z.object({ json: z.unknown() }).refine((m) => 'json' in m, { error: 'needs json, text or base64' }),
  z.object({ text: z.string(), invalidJson: z.literal(true).optional() }),
  z.object({ base64: z.string() }),
]);

/**
 * A recorded WebSocket exchange, as read from a file.
 *
 * @example
 * ```ts
 * import { websocketInteractionSchema } from './websocket-format.js';
 * websocketInteractionSchema.parse({ request: { kind: 'send', message: { text: 'ping' } }, received: [{ text: 'pong' }] });
 * ```
 */
export const websocketInteractionSchema = z.object({
  request: z.union([
    z.object({ kind: z.literal('open') }),
    z.object({ kind: z.enum(['send', 'request']), message: recordedMessageSchema }),
  ]),
  handshake: z
    .object({
      url: z.string(),
      query: z.record(z.string(), z.string()).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      protocols: z.array(z.string()).optional(),
      firstMessages: z.array(z.string()).optional(),
    })
    .optional(),
  reply: z.unknown().optional(),
  received: z.array(recordedMessageSchema).optional(),
  error: recordedErrorSchema.optional(),
  superseded: z.literal(true).optional(),
});
