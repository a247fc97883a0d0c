import { z } from 'zod';

/**
 * Authentication settings, a union discriminated on `type`.
 *
 * @example
 * ```ts
 * import { authConfigSchema } from 'ia-connectors';
 * authConfigSchema.parse({ type: 'none' });
 * ```
 */
export const authConfigSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('none') }).strict()], {
  error: 'auth.type: must be one of none, api_key, bearer, basic, oauth2, jwt, custom',
});

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
