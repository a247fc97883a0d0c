import { z } from 'zod';
import type { GrpcMethodInfo } from '../../protocols/grpc/types.js';
import { recordedErrorSchema } from './error-schema.js';
import type { RecordedError } from './format.js';

/**
 * A method as a gRPC cassette stores it, so a replay knows the connector's methods
 * (names, kinds, idempotency) without `.proto` files or server reflection.
 *
 * @example
 * ```ts
 * import type { RecordedGrpcMethod } from 'ia-connectors';
 * const m: RecordedGrpcMethod = { path: '/shop.v1.Catalog/GetProduct', service: 'shop.v1.Catalog', name: 'GetProduct', kind: 'unary', idempotent: true };
 * ```
 */
export type RecordedGrpcMethod = Omit<GrpcMethodInfo, 'requestType' | 'responseType'> & { requestType?: string | undefined; responseType?: string | undefined };

/**
 * What a gRPC call answered: the response headers and trailers (credentials hidden),
 * and the response message of a unary call (`body`) or the messages of a server stream
 * (`messages`) with how reading them ended: `ok` (the OK status), `error` (a status
 * error, in `error`) or `cancelled` (the caller stopped reading).
 *
 * @example
 * ```ts
 * import type { GrpcRecordedResponse } from 'ia-connectors';
 * const r: GrpcRecordedResponse = { headers: {}, body: { name: 'Desk lamp' }, trailers: {}, durationMs: 2.1 };
 * ```
 */
export interface GrpcRecordedResponse {
  headers: Record<string, unknown>;
  body?: unknown;
  messages?: unknown[];
  end?: 'ok' | 'error' | 'cancelled';
  error?: RecordedError;
  trailers?: Record<string, unknown>;
  durationMs: number;
}

/**
 * One recorded gRPC attempt: a unary call or the opening of a server stream.
 * `request` holds what is matched (kind, full method path, request message as JSON);
 * `metadata` what was sent besides, credentials hidden; then the response or the error.
 *
 * @example
 * ```ts
 * import type { GrpcInteraction } from 'ia-connectors';
 * const i: GrpcInteraction = { attempt: 1, request: { kind: 'unary', method: '/shop.v1.Catalog/GetProduct', message: { sku: 'lamp-01' } }, response: { headers: {}, body: {}, trailers: {}, durationMs: 1 } };
 * ```
 */
export interface GrpcInteraction {
  attempt: number;
  request: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  response?: GrpcRecordedResponse;
  error?: RecordedError;
  superseded?: true;
}

/**
 * A recorded method, as read from a file.
 *
 * @example
 * ```ts
 * import { recordedGrpcMethodSchema } from './grpc-format.js';
 * recordedGrpcMethodSchema.parse({ path: '/p.S/Get', service: 'p.S', name: 'Get', kind: 'unary', idempotent: false });
 * ```
 */
export const recordedGrpcMethodSchema = z.object({
  path: z.string().startsWith('/'),
  service: z.string(),
  name: z.string(),
  kind: z.enum(['unary', 'serverStream', 'clientStream', 'bidi']),
  idempotent: z.boolean(),
  requestType: z.string().optional(),
  responseType: z.string().optional(),
});

/**
 * A recorded gRPC attempt, as read from a file.
 *
 * @example
 * ```ts
 * import { grpcInteractionSchema } from './grpc-format.js';
 * grpcInteractionSchema.parse({ attempt: 1, request: { kind: 'unary', method: '/p.S/Get', message: {} }, response: { headers: {}, body: {}, durationMs: 1 } });
 * ```
 */
export const grpcInteractionSchema = z
  .object({
    attempt: z.number().int().min(1),
    request: z.looseObject({ kind: z.enum(['unary', 'serverStream']), method: z.string() }),
    metadata: z.record(z.string(), z.unknown()).optional(),
    response: z
      .object({
        headers: z.record(z.string(), z.unknown()),
        body: z.unknown().optional(),
        messages: z.array(z.unknown()).optional(),
        end: z.enum(['ok', 'error', 'cancelled']).optional(),
        error: recordedErrorSchema.optional(),
        trailers: z.record(z.string(), z.unknown()).optional(),
        durationMs: z.number().min(0),
      })
      .optional(),
    error: recordedErrorSchema.optional(),
    superseded: z.literal(true).optional(),
  })
  .refine((i) => (i.response === undefined) !== (i.error === undefined), { error: 'must hold either a response or an error' });
