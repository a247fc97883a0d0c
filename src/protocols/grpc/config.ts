import { z } from 'zod';
import { durationMs } from '../../core/config.js';
import { authConfigSchema } from '../../auth/schema.js';
import { policyConfigShape } from '../../policies/schema.js';
import { grpcChannelSchema, grpcDecodeSchema, grpcTlsSchema } from './config-parts.js';
import { metadataKeyProblem } from './metadata.js';
import { parseGrpcTarget } from './target.js';

const QUALIFIED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Configuration of a gRPC connector: `protocol: 'grpc'`, `target` (or a
 * `grpc://`/`grpcs://` `baseUrl`), and either `protoFiles` or `reflection: true`;
 * every other field has a default. TLS is on unless `tls: false` or a `grpc://` URL says otherwise.
 *
 * @example
 * ```ts
 * import { grpcConnectorConfigSchema } from 'ia-connectors';
 * const cfg = grpcConnectorConfigSchema.parse({
 *   name: 'greeter', protocol: 'grpc', target: '127.0.0.1:50051', tls: false,
 *   protoFiles: ['protos/greeter.proto'], service: 'demo.Greeter',
 * });
 * ```
 */
export const grpcConnectorConfigSchema = z
  .object({
    name: z
      .string({ error: 'must be a string such as "greeter"' })
      .regex(/^[A-Za-z0-9_.-]+$/, { error: 'use letters, digits, "_", "-" or "." only, e.g. "greeter"' }),
    // Required, unlike REST's: a connector without a protocol is REST, so the registry's union can tell them apart.
    protocol: z.literal('grpc', { error: 'must be "grpc"' }),
    /** `host:port`, `dns:///host:port`, `unix:/path`, or a grpc(s):// URL. */
    target: z.string({ error: 'must be a string such as "127.0.0.1:50051"' }).optional(),
    /** `grpcs://host:port` (TLS) or `grpc://host:port` (plaintext); an alternative to `target`. */
    baseUrl: z.string({ error: 'must be a URL such as "grpcs://api.example.com:443"' }).optional(),
    tls: grpcTlsSchema.optional(),
    /** `.proto` files declaring the services; relative paths are looked up in `includeDirs`, then the working directory. */
    protoFiles: z
      .union([z.string().min(1), z.array(z.string().min(1, { error: 'must not be empty' })).min(1, { error: 'list at least one .proto file' })], {
        error: 'must be a .proto path or a list of them',
      })
      .transform((files) => (typeof files === 'string' ? [files] : files))
      .optional(),
    /** Folders searched for `protoFiles` and their imports. */
    includeDirs: z.array(z.string().min(1)).default([]),
    /** Fully qualified service that short method names refer to, e.g. `demo.Greeter`. */
    service: z.string().regex(QUALIFIED_NAME, { error: 'must be a fully qualified service name such as "demo.Greeter"' }).optional(),
    /** Ask the server for its services (gRPC server reflection) instead of reading `.proto` files. */
    reflection: z.boolean().default(false),
    /** Per-method settings, keyed by method name or `pkg.Service/Method`. */
    methods: z.record(z.string().min(1), z.object({ idempotent: z.boolean().optional() }).strict()).default({}),
    /** Metadata sent with every call (a call's own metadata and auth win). */
    metadata: z.record(z.string(), z.string({ error: 'metadata values in a config are strings' })).default({}),
    channel: grpcChannelSchema.default(() => grpcChannelSchema.parse({})),
    decode: grpcDecodeSchema.default(() => grpcDecodeSchema.parse({})),
    /** Check request messages against their type before sending. */
    validateRequests: z.boolean().default(true),
    healthCheck: z
      .object({
        /** Service name asked about; `service` by default, "" (the whole server) without one. */
        service: z.string().optional(),
        timeout: durationMs().default(5000),
      })
      .strict()
      .default({ timeout: 5000 }),
    userAgent: z.string().default('ia-connectors'),
    auth: authConfigSchema.default({ type: 'none' }),
    ...policyConfigShape,
  })
  .strict()
  .superRefine((config, ctx) => {
    const issue = (path: PropertyKey[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    if (config.target === undefined && config.baseUrl === undefined) issue(['target'], 'is required: write target: "host:port" (or baseUrl: "grpcs://host:port")');
    if (config.target !== undefined && config.baseUrl !== undefined) issue(['baseUrl'], 'use either target or baseUrl, not both');
    const field = config.target !== undefined ? 'target' : 'baseUrl';
    const address = config.target ?? config.baseUrl;
    const parsed = address === undefined ? undefined : parseGrpcTarget(address, field);
    if (parsed && !parsed.ok) issue([field], parsed.problem);
    if (parsed?.ok && parsed.target.tls === false && typeof config.tls === 'object') {
      issue(['tls'], `"${address}" is plaintext but tls is set; write grpcs:// or remove tls`);
    }
    if (parsed?.ok && parsed.target.tls === true && config.tls === false) issue(['tls'], `"${address}" asks for TLS (grpcs://) but tls is false; pick one`);
    if (typeof config.tls === 'object' && (config.tls.cert === undefined) !== (config.tls.key === undefined)) {
      issue(['tls', config.tls.cert === undefined ? 'cert' : 'key'], 'a client certificate needs its key: set both tls.cert and tls.key');
    }
    for (const key of Object.keys(config.metadata)) {
      const problem = metadataKeyProblem(key) ?? (key.endsWith('-bin') ? 'binary (-bin) metadata can only be sent per call, as a Buffer' : undefined);
      if (problem) issue(['metadata', key], problem);
    }
    if (config.protoFiles && config.reflection) issue(['reflection'], 'use either protoFiles or reflection: true, not both');
    if (config.auth.type === 'api_key' && config.auth.in === 'query') {
      issue(['auth', 'in'], 'gRPC has no query string; send the key as metadata with in: "header"');
    }
  });

/**
 * What a user writes for a gRPC connector (defaults optional). `protocol: 'grpc'` is
 * needed in a connectors file; `createGrpcConnector` fills it in.
 *
 * @example
 * ```ts
 * import type { GrpcConnectorOptions } from 'ia-connectors';
 * const o: GrpcConnectorOptions = { name: 'greeter', baseUrl: 'grpc://127.0.0.1:50051', protoFiles: 'greeter.proto' };
 * ```
 */
export type GrpcConnectorOptions = Omit<z.input<typeof grpcConnectorConfigSchema>, 'protocol'> & { protocol?: 'grpc' };

/**
 * A gRPC connector config with every default filled in.
 *
 * @example
 * ```ts
 * import type { GrpcConnectorConfig } from 'ia-connectors';
 * const where = (c: GrpcConnectorConfig) => c.target ?? c.baseUrl;
 * ```
 */
export type GrpcConnectorConfig = z.output<typeof grpcConnectorConfigSchema>;
