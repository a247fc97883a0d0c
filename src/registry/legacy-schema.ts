import { z } from 'zod';
import { secretString } from '../auth/secret-schema.js';
import { httpUrl } from '../core/config.js';
import { MAX_ATTEMPTS_CEILING } from '../policies/retry-schema.js';
import { restConnectorConfigSchema } from '../protocols/rest/config.js';

const LEGACY_AUTH_TYPES = ['none', 'api_key', 'bearer', 'basic', 'oauth2', 'jwt', 'custom'] as const;

const seconds = () =>
  z
    .number({ error: 'must be a number of seconds, e.g. 30' })
    .min(0.001, { error: 'must be a positive number of seconds (at least 0.001), e.g. 30' })
    .max(86_400, { error: 'must be at most 86400 seconds (one day)' });

const text = (example: string) => z.string({ error: `must be a string, e.g. ${example}` });

/** Which credential fields each legacy `auth_type` uses; the others must stay unset. */
const CREDENTIALS = {
  api_key: ['api_key', 'api_key_header'],
  bearer: ['bearer_token'],
  basic: ['username', 'password'],
  oauth2: ['oauth2_client_id', 'oauth2_client_secret', 'oauth2_token_url'],
} as const;
const REQUIRED = {
  api_key: ['api_key'],
  bearer: ['bearer_token'],
  basic: ['username', 'password'],
  oauth2: ['oauth2_client_id', 'oauth2_client_secret', 'oauth2_token_url'],
} as const;
const ALL_CREDENTIALS = Object.values(CREDENTIALS).flat();

/**
 * The flat snake_case connector config of the original ia_modules plan, accepted so
 * that its configuration files load unchanged. Units are the plan's: seconds for
 * timeouts, backoff and the rate-limit window; `max_retries` counts retries after the
 * first attempt. {@link normalizeLegacyConnector} turns it into a REST connector config.
 *
 * @example
 * ```ts
 * import { legacyConnectorConfigSchema } from 'ia-connectors';
 * legacyConnectorConfigSchema.parse({ name: 'github', base_url: 'https://api.example.com', max_retries: 2 });
 * ```
 */
export const legacyConnectorConfigSchema = z
  .object({
    name: restConnectorConfigSchema.shape.name,
    protocol: z.literal('rest', { error: 'the legacy snake_case form describes REST connectors only; use protocol: rest or the camelCase form' }).optional(),
    base_url: httpUrl(),
    auth_type: z.enum(LEGACY_AUTH_TYPES, { error: `must be one of ${LEGACY_AUTH_TYPES.join(', ')}` }).default('none'),
    api_key: secretString().optional(),
    api_key_header: text('"X-API-Key"').optional(),
    bearer_token: secretString().optional(),
    username: text('"ada"').optional(),
    password: secretString().optional(),
    oauth2_client_id: text('"my-client"').optional(),
    oauth2_client_secret: secretString().optional(),
    oauth2_token_url: httpUrl().optional(),
    rate_limit: z
      .number({ error: 'must be a number of requests per window, e.g. 60' })
      .int({ error: 'must be a whole number of requests' })
      .positive({ error: 'must be at least 1 request per window' })
      .max(1_000_000, { error: 'must be at most 1000000 requests per window' })
      .optional(),
    rate_limit_window: seconds().optional(),
    max_retries: z
      .number({ error: 'must be a number of retries, e.g. 3' })
      .int({ error: 'must be a whole number of retries' })
      .min(0, { error: 'must be 0 or more retries' })
      .max(MAX_ATTEMPTS_CEILING - 1, { error: `must be at most ${MAX_ATTEMPTS_CEILING - 1} retries; more only prolong an outage` })
      .optional(),
    retry_backoff: z
      .number({ error: 'must be a number of seconds, e.g. 1' })
      .min(0, { error: 'must be 0 or more seconds' })
      .max(86_400, { error: 'must be at most 86400 seconds (one day)' })
      .optional(),
    default_timeout: seconds().optional(),
    connection_timeout: seconds().optional(),
    default_headers: restConnectorConfigSchema.shape.headers.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const type = config.auth_type;
    if (type === 'jwt' || type === 'custom') {
      ctx.addIssue({
        code: 'custom',
        path: ['auth_type'],
        message: `auth_type ${type} has no legacy fields; write this connector in the camelCase form with auth: { type: ${type}, ... } (see docs/auth.md)`,
      });
      return;
    }
    const used: readonly string[] = type === 'none' ? [] : CREDENTIALS[type];
    for (const field of ALL_CREDENTIALS) {
      if (config[field] !== undefined && !used.includes(field)) {
        const owner = Object.entries(CREDENTIALS).find(([, fields]) => (fields as readonly string[]).includes(field))?.[0];
        ctx.addIssue({ code: 'custom', path: [field], message: `is set but auth_type is ${type}; set auth_type: ${owner} or remove ${field}` });
      }
    }
    for (const field of type === 'none' ? [] : REQUIRED[type]) {
      if (config[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is required when auth_type is ${type}` });
      }
    }
    if (config.rate_limit_window !== undefined && config.rate_limit === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rate_limit_window'], message: 'has no effect without rate_limit; add rate_limit (requests per window) or remove it' });
    }
  });

/**
 * A legacy snake_case connector config as written in a file.
 *
 * @example
 * ```ts
 * import type { LegacyConnectorConfig } from 'ia-connectors';
 * const c: LegacyConnectorConfig = { name: 'github', base_url: 'https://api.example.com', auth_type: 'bearer', bearer_token: '${env:GH_TOKEN}' };
 * ```
 */
export type LegacyConnectorConfig = z.input<typeof legacyConnectorConfigSchema>;

/**
 * The snake_case keys that mark a connector as written in the legacy form. `name`,
 * `username` and `password` are not among them: they are not snake_case.
 *
 * @example
 * ```ts
 * import { LEGACY_KEYS } from 'ia-connectors';
 * LEGACY_KEYS.includes('base_url'); // true
 * ```
 */
export const LEGACY_KEYS = [
  'base_url', 'auth_type', 'api_key', 'api_key_header', 'bearer_token', 'oauth2_client_id', 'oauth2_client_secret',
  'oauth2_token_url', 'rate_limit', 'rate_limit_window', 'max_retries', 'retry_backoff', 'default_timeout',
  'connection_timeout', 'default_headers',
] as const;
