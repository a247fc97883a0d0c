import { z } from 'zod';
import type { ErrorCode } from '../../core/error-codes.js';
import { recordedErrorSchema } from './error-schema.js';
import { grpcInteractionSchema, recordedGrpcMethodSchema, type GrpcInteraction, type RecordedGrpcMethod } from './grpc-format.js';
import { websocketInteractionSchema, type WebSocketInteraction } from './websocket-format.js';

/**
 * The version written in every cassette file; a file of another version is refused.
 *
 * @example
 * ```ts
 * import { CASSETTE_VERSION } from 'ia-connectors';
 * CASSETTE_VERSION; // 1
 * ```
 */
export const CASSETTE_VERSION = 1;

/**
 * The protocols whose calls a cassette records and replays.
 *
 * @example
 * ```ts
 * import type { CassetteProtocol } from 'ia-connectors';
 * const p: CassetteProtocol = 'graphql';
 * ```
 */
export type CassetteProtocol = 'rest' | 'graphql' | 'grpc' | 'websocket';

/**
 * A body as stored: JSON as JSON, text as text, bytes as base64, a form as its fields;
 * a streamed request body is stored as `{ stream: true }` (it cannot be read twice).
 *
 * @example
 * ```ts
 * import type { RecordedBody } from 'ia-connectors';
 * const b: RecordedBody = { json: { name: 'Ada' } };
 * ```
 */
export type RecordedBody =
  | { json: unknown }
  | { text: string }
  | { base64: string }
  | { form: Record<string, string | string[]> }
  | { stream: true };

/**
 * An error that ended an attempt without a response (timeout, refused connection),
 * stored so that a replay throws the same `ConnectorError`.
 *
 * @example
 * ```ts
 * import type { RecordedError } from 'ia-connectors';
 * const e: RecordedError = { code: 'CONNECTION_REFUSED', message: 'connection refused by 127.0.0.1:1', retryable: true };
 * ```
 */
export interface RecordedError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  details?: Record<string, unknown>;
}

/**
 * One recorded REST or GraphQL attempt: what was asked and either the response or the error.
 * `superseded` marks an answer the auth layer replaced within the same attempt (a 401
 * followed by a renewed credential); it is kept for reading and never replayed.
 *
 * @example
 * ```ts
 * import type { Interaction } from 'ia-connectors';
 * const i: Interaction = { attempt: 1, request: { method: 'GET', path: '/users' }, response: { status: 200, headers: {}, durationMs: 3.2 } };
 * ```
 */
export interface Interaction {
  attempt: number;
  request: Record<string, unknown>;
  response?: Record<string, unknown> & { status: number; headers: Record<string, string | string[]>; durationMs: number };
  error?: RecordedError;
  superseded?: true;
}

const interactionSchema = z
  .object({
    attempt: z.number().int().min(1),
    request: z.record(z.string(), z.unknown()),
    response: z
      .looseObject({
        status: z.number().int().min(100).max(999),
        headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
        durationMs: z.number().min(0),
      })
      .optional(),
    error: recordedErrorSchema.optional(),
    superseded: z.literal(true).optional(),
  })
  .refine((i) => (i.response === undefined) !== (i.error === undefined), { error: 'must hold either a response or an error' });

const fileFields = {
  cassette: z.literal(CASSETTE_VERSION, { error: `must be ${CASSETTE_VERSION}; record the cassette again with this version` }),
  connector: z.string().min(1),
  baseUrl: z.string().optional(),
  recordedAt: z.string(),
};

/**
 * The schema of a cassette file: one connector's recorded attempts, in the order
 * they were made; a gRPC file also lists the connector's methods.
 *
 * @example
 * ```ts
 * import { cassetteFileSchema } from 'ia-connectors';
 * cassetteFileSchema.parse({ cassette: 1, connector: 'users', protocol: 'rest', recordedAt: '2025-01-01T00:00:00.000Z', interactions: [] });
 * ```
 */
export const cassetteFileSchema = z.discriminatedUnion(
  'protocol',
  [
    z.object({ ...fileFields, protocol: z.enum(['rest', 'graphql']), interactions: z.array(interactionSchema) }),
    z.object({ ...fileFields, protocol: z.literal('grpc'), methods: z.array(recordedGrpcMethodSchema).default([]), interactions: z.array(grpcInteractionSchema) }),
    z.object({ ...fileFields, protocol: z.literal('websocket'), interactions: z.array(websocketInteractionSchema) }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'protocol: must be rest, graphql, grpc or websocket' : undefined) },
);

/**
 * A recorded exchange of any protocol: a REST or GraphQL {@link Interaction}, a
 * gRPC call or a WebSocket exchange.
 *
 * @example
 * ```ts
 * import type { AnyInteraction } from 'ia-connectors';
 * const asked = (i: AnyInteraction) => i.request;
 * ```
 */
export type AnyInteraction = Interaction | GrpcInteraction | WebSocketInteraction;

/**
 * What a cassette file holds.
 *
 * @example
 * ```ts
 * import type { CassetteFile } from 'ia-connectors';
 * const count = (f: CassetteFile) => f.interactions.length;
 * ```
 */
export interface CassetteFile {
  cassette: typeof CASSETTE_VERSION;
  connector: string;
  protocol: CassetteProtocol;
  /** The connector's base URL when recorded; a replay against another origin rewrites it in the answers. */
  baseUrl?: string;
  recordedAt: string;
  /** gRPC: the methods the connector knew, so a replay needs neither `.proto` files nor reflection. */
  methods?: RecordedGrpcMethod[];
  interactions: AnyInteraction[];
}
