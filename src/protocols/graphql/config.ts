import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { durationMs, httpUrl } from '../../core/config.js';
import { authConfigSchema } from '../../auth/schema.js';
import { policyConfigShape } from '../../policies/schema.js';
import { codeField } from '../../policies/fields.js';
import { restConnectorConfigSchema } from '../rest/config.js';
import { subscriptionsConfigSchema } from './subscriptions/config.js';

const rest = restConnectorConfigSchema.shape;
const ENDPOINT = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*)?$/;

/**
 * Configuration of a GraphQL connector. GraphQL-over-HTTP goes to `baseUrl` +
 * `endpoint`; subscriptions use the graphql-ws protocol and are off until
 * `subscriptions` is set. Transport fields (`headers`, `connections`, `tls`, ...) and
 * policies mean what they mean for REST.
 *
 * @example
 * ```ts
 * import { graphqlConnectorConfigSchema } from 'ia-connectors';
 * const cfg = graphqlConnectorConfigSchema.parse({ name: 'shop', protocol: 'graphql', baseUrl: 'http://127.0.0.1:4000', subscriptions: {} });
 * cfg.endpoint; // '/graphql'
 * ```
 */
export const graphqlConnectorConfigSchema = z
  .object({
    name: rest.name,
    protocol: z.literal('graphql', { error: 'must be "graphql"' }),
    /** Origin (and optional path prefix) of the service. */
    baseUrl: httpUrl(),
    /** Path of the GraphQL endpoint under `baseUrl`; `''` means `baseUrl` itself. @default '/graphql' */
    endpoint: z
      .string({ error: 'must be a path such as "/graphql"' })
      .regex(ENDPOINT, { error: 'must be a path such as "/graphql" (or "" for baseUrl itself), without "?" or "#"' })
      .refine((p) => !/(^|\/)\.\.?(\/|$)/.test(p), { error: 'must not contain "." or ".." segments' })
      .default('/graphql'),
    headers: rest.headers,
    connections: rest.connections,
    maxResponseBytes: rest.maxResponseBytes,
    redirect: rest.redirect,
    tls: rest.tls,
    userAgent: rest.userAgent,
    /** Throw a `GRAPHQL` error when a result carries `errors`, instead of returning it. @default false */
    throwOnErrors: z.boolean({ error: 'must be true or false' }).default(false),
    /** Validate every document (and its variables) against the schema before sending. @default false */
    validateSchema: z.boolean({ error: 'must be true or false' }).default(false),
    /** The schema as SDL (or, in code, a `GraphQLSchema`) used instead of introspection. */
    schema: z
      .union([z.string().min(1, { error: 'must not be empty' }), codeField<GraphQLSchema>(isSchema, 'must be SDL text or a GraphQLSchema')], {
        error: 'must be the schema as SDL text, e.g. "type Query { hello: String }"',
      })
      .optional(),
    /** Send queries (never mutations) as GET with URL parameters. @default false */
    useGetForQueries: z.boolean({ error: 'must be true or false' }).default(false),
    /** Automatic persisted queries: send the sha256 hash first, the full query on `PersistedQueryNotFound`. @default false */
    persistedQueries: z.boolean({ error: 'must be true or false' }).default(false),
    /** Let retry repeat mutations (they are not idempotent by default). @default false */
    retryMutations: z.boolean({ error: 'must be true or false' }).default(false),
    /** graphql-ws subscriptions; absent means this connector has no WebSocket support. */
    subscriptions: subscriptionsConfigSchema.optional(),
    healthCheck: z
      .object({ timeout: durationMs().default(5000) })
      .strict()
      .default({ timeout: 5000 }),
    auth: authConfigSchema.default({ type: 'none' }),
    ...policyConfigShape,
  })
  .strict();

/**
 * What a user writes for a GraphQL connector; `protocol` may be omitted in code.
 *
 * @example
 * ```ts
 * import type { GraphQLConnectorOptions } from 'ia-connectors';
 * const o: GraphQLConnectorOptions = { name: 'shop', baseUrl: 'http://127.0.0.1:4000', throwOnErrors: true };
 * ```
 */
export type GraphQLConnectorOptions = Omit<z.input<typeof graphqlConnectorConfigSchema>, 'protocol'> & { protocol?: 'graphql' };

/**
 * A GraphQL connector config with every default filled in.
 *
 * @example
 * ```ts
 * import type { GraphQLConnectorConfig } from 'ia-connectors';
 * const wantsWs = (c: GraphQLConnectorConfig) => c.subscriptions !== undefined;
 * ```
 */
export type GraphQLConnectorConfig = z.output<typeof graphqlConnectorConfigSchema>;

function isSchema(value: unknown): boolean {
  // Duck-typed: a second copy of `graphql` in node_modules would fail `instanceof`.
  return typeof value === 'object' && value !== null && typeof (value as { getQueryType?: unknown }).getQueryType === 'function';
}
