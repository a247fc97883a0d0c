import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Settings of the `grpc` step, in the pipeline's snake_case vocabulary. `request` is
 * the request message (templates resolved), merged over the step's `inputs`; a
 * server-streaming method's messages are collected into a list of at most
 * `max_messages`.
 *
 * @example
 * ```ts
 * import { grpcStepConfigSchema } from 'ia-connectors';
 * grpcStepConfigSchema.parse({ connector: 'catalog', method: 'GetProduct', request: { sku: '{{ parameters.sku }}' }, output_field: 'product' });
 * ```
 */
export const grpcStepConfigSchema = z.strictObject({
  connector: z.string({ error: 'must name a gRPC connector, e.g. "catalog"' }).min(1, { error: 'must not be empty' }),
  method: z.string({ error: 'must name a method, e.g. "GetProduct" or "pkg.Service/GetProduct"' }).min(1, { error: 'must not be empty' }),
  request: z.record(z.string(), z.unknown(), { error: 'must be the request message as an object, e.g. { "sku": "{{ parameters.sku }}" }' }).optional(),
  metadata: z.record(z.string(), scalar.transform(String), { error: 'must be an object of metadata values, e.g. { "x-team": "data" }' }).optional(),
  output_field: z.string({ error: 'must be a field name such as "product"' }).min(1).optional(),
  /** A server stream sending more than this fails the step instead of filling memory. @default 1000 */
  max_messages: z
    .number({ error: 'must be a whole number of messages, e.g. 1000' })
    .int({ error: 'must be a whole number of messages, e.g. 1000' })
    .min(1, { error: 'must be at least 1' })
    .max(1_000_000, { error: 'must be at most 1000000' })
    .default(1000),
});

/**
 * What a pipeline author writes for a `grpc` step.
 *
 * @example
 * ```ts
 * import type { GrpcStepConfig } from 'ia-connectors';
 * const c: GrpcStepConfig = { connector: 'catalog', method: 'ListProducts', request: { region: 'eu' }, max_messages: 500 };
 * ```
 */
export type GrpcStepConfig = z.input<typeof grpcStepConfigSchema>;
