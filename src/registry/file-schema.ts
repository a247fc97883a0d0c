import { z } from 'zod';
import { policyConfigShape } from '../policies/schema.js';
import { storeConfigSchema } from '../policies/store-schema.js';
import { restConnectorConfigSchema } from '../protocols/rest/config.js';
import { legacyConnectorConfigSchema } from './legacy-schema.js';
import { connectorConfigSchema } from './protocols.js';

type OptionalShape<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.ZodOptional<S[K]> };

const policyDefaults = Object.fromEntries(
  Object.entries(policyConfigShape).map(([key, schema]) => [key, schema.optional()]),
) as OptionalShape<typeof policyConfigShape>;

/**
 * Settings shared by every connector of a file: headers and the policy settings
 * (timeouts, retry, circuit breaker, rate limit, bulkhead). Each connector's own value
 * wins; objects are merged field by field, so `defaults.timeout.connect` and a
 * connector's `timeout.total` combine. A setting applies only to connectors whose
 * protocol has it.
 *
 * @example
 * ```ts
 * import { connectorDefaultsSchema } from 'ia-connectors';
 * connectorDefaultsSchema.parse({ timeout: { connect: 2000 }, headers: { 'x-team': 'data' } });
 * ```
 */
export const connectorDefaultsSchema = z
  .object({
    headers: restConnectorConfigSchema.shape.headers.optional(),
    ...policyDefaults,
  })
  .strict();

/**
 * Parsed {@link connectorDefaultsSchema}.
 *
 * @example
 * ```ts
 * import type { ConnectorDefaults } from 'ia-connectors';
 * const d: ConnectorDefaults = { headers: { 'x-team': 'data' } };
 * ```
 */
export type ConnectorDefaults = z.input<typeof connectorDefaultsSchema>;

function fileSchema<T extends z.ZodType>(connector: T) {
  return z
    .object({
      /** Lets editors find the JSON Schema; ignored by the loader. */
      $schema: z.string().optional(),
      /** Where every connector's limiter, breaker and OAuth token state lives, unless it sets its own `store`. */
      store: storeConfigSchema.optional(),
      defaults: connectorDefaultsSchema.optional(),
      connectors: z.array(connector, { error: 'must be a list of connectors, e.g. connectors: [{ name: users, baseUrl: "https://..." }]' }),
    }, { error: 'the file must be a mapping with a "connectors:" list at the top level' })
    .strict();
}

/**
 * The connectors file as written: `connectors` (each in the camelCase form of its
 * protocol, or the legacy snake_case form), optional `defaults`, and an optional
 * `store` shared by every connector that does not set its own. The JSON Schema
 * for editors is generated from this.
 *
 * @example
 * ```ts
 * import { connectorsFileSchema } from 'ia-connectors';
 * connectorsFileSchema.parse({ connectors: [{ name: 'users', baseUrl: 'https://api.example.com' }] });
 * ```
 */
export const connectorsFileSchema = fileSchema(z.union([connectorConfigSchema, legacyConnectorConfigSchema]));

/**
 * The file's outer shape only, checked before each connector is normalised and
 * validated on its own (so every connector's problems are reported, in the terms the
 * user wrote).
 *
 * @example
 * ```ts
 * import { connectorsFileOutlineSchema } from './file-schema.js';
 * connectorsFileOutlineSchema.safeParse({ connectors: 'users' }).success; // false
 * ```
 */
export const connectorsFileOutlineSchema = fileSchema(z.unknown());

/**
 * A connectors file as written, before normalisation.
 *
 * @example
 * ```ts
 * import type { ConnectorsFileInput } from 'ia-connectors';
 * const file: ConnectorsFileInput = { store: { type: 'redis', url: '${env:REDIS_URL}' }, defaults: { timeout: { total: 10_000 } }, connectors: [{ name: 'users', baseUrl: 'https://api.example.com' }] };
 * ```
 */
export type ConnectorsFileInput = z.input<typeof connectorsFileSchema>;
