import { z } from 'zod';
import { durationMs, httpUrl, tlsConfigSchema } from '../../core/config.js';
import { authConfigSchema } from '../../auth/schema.js';
import { policyConfigShape } from '../../policies/schema.js';

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Configuration of a REST connector. Every field but `name` and `baseUrl` has a default.
 *
 * @example
 * ```ts
 * import { restConnectorConfigSchema } from 'ia-connectors';
 * const cfg = restConnectorConfigSchema.parse({ name: 'users', protocol: 'rest', baseUrl: 'http://127.0.0.1:8080/v1' });
 * ```
 */
export const restConnectorConfigSchema = z
  .object({
    name: z
      .string({ error: 'must be a string such as "users_api"' })
      .regex(/^[A-Za-z0-9_.-]+$/, { error: 'use letters, digits, "_", "-" or "." only, e.g. "users_api"' }),
    protocol: z.literal('rest').default('rest'),
    /** Every endpoint is resolved under this URL (its path is kept as a prefix). */
    baseUrl: httpUrl(),
    /** Headers sent with every request. */
    headers: z
      .record(z.string().regex(headerName, { error: 'is not a valid header name' }), z.string({ error: 'header values must be strings' }))
      .default({}),
    /** Keep-alive sockets in the pool. */
    connections: z.number().int().min(1, { error: 'must be at least 1' }).max(4096).default(64),
    /** Largest response body read into memory, in bytes; stream larger ones. */
    maxResponseBytes: z.number().int().positive({ error: 'must be a positive number of bytes, e.g. 10485760' }).default(20 * 1024 * 1024),
    /** Extra origins an absolute endpoint may target, e.g. a CDN. */
    allowedOrigins: z.array(httpUrl()).default([]),
    redirect: z
      .object({
        follow: z.boolean().default(true),
        max: z.number().int().min(0).max(50, { error: 'must be at most 50' }).default(10),
      })
      .strict()
      .default({ follow: true, max: 10 }),
    /** Throw an `HTTP_STATUS` error for non-2xx responses instead of returning them. */
    throwHttpErrors: z.boolean().default(false),
    healthCheck: z
      .object({
        path: z.string().startsWith('/', { error: 'must start with "/", e.g. "/health"' }).default('/'),
        method: z.enum(['GET', 'HEAD']).default('GET'),
        timeout: durationMs().default(5000),
      })
      .strict()
      .default({ path: '/', method: 'GET', timeout: 5000 }),
    tls: tlsConfigSchema(),
    userAgent: z.string().default('ia-connectors'),
    auth: authConfigSchema.default({ type: 'none' }),
    ...policyConfigShape,
  })
  .strict();

/**
 * What a user writes for a REST connector (defaults optional).
 *
 * @example
 * ```ts
 * import type { RestConnectorOptions } from 'ia-connectors';
 * const o: RestConnectorOptions = { name: 'users', baseUrl: 'http://127.0.0.1:8080' };
 * ```
 */
export type RestConnectorOptions = z.input<typeof restConnectorConfigSchema>;

/**
 * A REST connector config with every default filled in.
 *
 * @example
 * ```ts
 * import type { RestConnectorConfig } from 'ia-connectors';
 * const port = (c: RestConnectorConfig) => new URL(c.baseUrl).port;
 * ```
 */
export type RestConnectorConfig = z.output<typeof restConnectorConfigSchema>;
