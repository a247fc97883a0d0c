import { z } from 'zod';
import { apiKeyAuthSchema } from './api-key.js';
import { basicAuthSchema } from './basic.js';
import { bearerAuthSchema } from './bearer.js';
import { customAuthSchema } from './custom.js';
import { jwtAuthSchema } from './jwt/schema.js';
import { oauth2AuthSchema } from './oauth2/schema.js';

const AUTH_TYPES = ['none', 'api_key', 'bearer', 'basic', 'oauth2', 'jwt', 'custom'];

/**
 * `none`: requests go out without credentials.
 *
 * @example
 * ```ts
 * import { noAuthSchema } from 'ia-connectors';
 * noAuthSchema.parse({ type: 'none' });
 * ```
 */
export const noAuthSchema = z.object({ type: z.literal('none') }).strict();

/**
 * Authentication settings, a union discriminated on `type`: `none`, `api_key`,
 * `bearer`, `basic`, `oauth2`, `jwt`, `custom`. Secret fields accept `${env:NAME}`
 * and `${file:/path}` references, resolved at connect.
 *
 * @example
 * ```ts
 * import { authConfigSchema } from 'ia-connectors';
 * authConfigSchema.parse({ type: 'bearer', token: '${env:USERS_TOKEN}' });
 * ```
 */
export const authConfigSchema = z.discriminatedUnion(
  'type',
  [noAuthSchema, apiKeyAuthSchema, bearerAuthSchema, basicAuthSchema, oauth2AuthSchema, jwtAuthSchema, customAuthSchema],
  {
    error: (issue) =>
      typeof issue.input === 'object' && issue.input !== null
        ? `must be one of ${AUTH_TYPES.join(', ')}`
        : 'must be an object such as { type: "bearer", token: "${env:API_TOKEN}" }',
  },
);

/**
 * What a user writes for `auth` (defaults optional).
 *
 * @example
 * ```ts
 * import type { AuthOptions } from 'ia-connectors';
 * const a: AuthOptions = { type: 'api_key', apiKey: '${env:MAPS_KEY}', in: 'query', name: 'key' };
 * ```
 */
export type AuthOptions = z.input<typeof authConfigSchema>;

/**
 * Parsed {@link authConfigSchema}.
 *
 * @example
 * ```ts
 * import type { AuthConfig } from 'ia-connectors';
 * const a: AuthConfig = { type: 'none' };
 * ```
 */
export type AuthConfig = z.output<typeof authConfigSchema>;
