import { z } from 'zod';
import { assertHeaderValue } from './header-value.js';
import { headerNameSchema } from './common-schema.js';
import { fieldLabel, notOpened } from './field.js';
import { resolveSecretRef } from './secret-ref.js';
import { secretString } from './secret-schema.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from './strategy.js';

/**
 * `api_key`: a key sent in a header (default `X-API-Key`) or a query parameter
 * (default `api_key`).
 *
 * @example
 * ```ts
 * import { apiKeyAuthSchema } from 'ia-connectors';
 * apiKeyAuthSchema.parse({ type: 'api_key', apiKey: '${env:MAPS_KEY}', in: 'query', name: 'key' });
 * ```
 */
export const apiKeyAuthSchema = z
  .object({
    type: z.literal('api_key'),
    /** The key, or a `${env:...}`/`${file:...}` reference to it. */
    apiKey: secretString(),
    in: z.enum(['header', 'query'], { error: 'must be "header" or "query"' }).default('header'),
    /** Header or query parameter name; `X-API-Key` / `api_key` by default. */
    name: z.string().min(1, { error: 'must not be empty' }).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.in === 'header' && value.name !== undefined && !headerNameSchema().safeParse(value.name).success) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'is not a valid header name; use letters, digits and "-", e.g. "X-API-Key"' });
    }
  });

/**
 * Parsed {@link apiKeyAuthSchema}.
 *
 * @example
 * ```ts
 * import type { ApiKeyAuthConfig } from 'ia-connectors';
 * const a: ApiKeyAuthConfig = { type: 'api_key', apiKey: '${env:KEY}', in: 'header' };
 * ```
 */
export type ApiKeyAuthConfig = z.output<typeof apiKeyAuthSchema>;

/**
 * The `api_key` strategy: the key is resolved once at `open()`; every request then
 * gets the same prepared credentials.
 *
 * @example
 * ```ts
 * import { apiKeyStrategy, Redactor, TypedEvents } from 'ia-connectors';
 * const s = apiKeyStrategy({ type: 'api_key', apiKey: 'k-123456', in: 'header' }, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function apiKeyStrategy(config: ApiKeyAuthConfig, context: AuthLayerContext): AuthStrategy {
  let prepared: AuthCredentials | undefined;
  return {
    type: 'api_key',
    async open() {
      const key = await resolveSecretRef(config.apiKey, { field: 'auth.apiKey', redactor: context.redactor });
      if (config.in === 'query') {
        const name = config.name ?? 'api_key';
        context.redactor.add({ queryParams: [name] });
        prepared = Object.freeze({ headers: {}, query: Object.freeze({ [name]: key }) });
        return;
      }
      const name = (config.name ?? 'X-API-Key').toLowerCase();
      context.redactor.add({ headers: [name] });
      assertHeaderValue(key, fieldLabel('auth.apiKey', config.apiKey), 'CONFIG');
      prepared = Object.freeze({ headers: Object.freeze({ [name]: key }) });
    },
    fixed: true,
    credentials() {
      return prepared ?? notOpened('api_key');
    },
  };
}
