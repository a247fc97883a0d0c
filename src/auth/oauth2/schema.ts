import { z } from 'zod';
import { durationMs, httpUrl } from '../../core/config.js';
import { expirySkewSchema, unauthorizedStatusesSchema } from '../common-schema.js';
import { checkSigningKey, jwtSigningShape } from '../jwt/schema.js';
import { secretString } from '../secret-schema.js';
import { isTokenStore, type TokenStore } from '../token-store.js';

/**
 * The OAuth 2.0 grants a connector can use on its own: `client_credentials`,
 * `refresh_token` (with a refresh token obtained elsewhere) and `jwt_bearer` (RFC 7523).
 *
 * @example
 * ```ts
 * import { OAUTH2_GRANTS } from 'ia-connectors';
 * OAUTH2_GRANTS.includes('jwt_bearer'); // true
 * ```
 */
export const OAUTH2_GRANTS = ['client_credentials', 'refresh_token', 'jwt_bearer'] as const;

/**
 * How the client authenticates at the token endpoint.
 *
 * @example
 * ```ts
 * import { CLIENT_AUTH_METHODS } from 'ia-connectors';
 * CLIENT_AUTH_METHODS[0]; // 'client_secret_basic'
 * ```
 */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const RESERVED_PARAMS = ['grant_type', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'refresh_token', 'assertion', 'scope', 'audience', 'resource'];

/**
 * `oauth2`: tokens from a token endpoint, cached until `expirySkew` before expiry,
 * fetched once for all concurrent callers, renewed once after a 401.
 *
 * @example
 * ```ts
 * import { oauth2AuthSchema } from 'ia-connectors';
 * oauth2AuthSchema.parse({
 *   type: 'oauth2', tokenUrl: 'https://auth.example.com/oauth/token',
 *   clientId: 'etl', clientSecret: '${env:ETL_CLIENT_SECRET}', scope: ['read', 'write'],
 * });
 * ```
 */
export const oauth2AuthSchema = z
  .object({
    type: z.literal('oauth2'),
    grant: z.enum(OAUTH2_GRANTS, { error: `must be one of ${OAUTH2_GRANTS.join(', ')}` }).default('client_credentials'),
    tokenUrl: httpUrl(),
    clientId: secretString().optional(),
    clientSecret: secretString().optional(),
    /** Default: `private_key_jwt` with `privateKey`, `client_secret_basic` with `clientSecret`, else `none`. */
    clientAuth: z.enum(CLIENT_AUTH_METHODS, { error: `must be one of ${CLIENT_AUTH_METHODS.join(', ')}` }).optional(),
    /** For `private_key_jwt`: a PEM or JWK private key. */
    privateKey: jwtSigningShape.privateKey,
    keyId: jwtSigningShape.keyId,
    /** For the `refresh_token` grant: the refresh token obtained elsewhere; rotated ones are kept in the token store. */
    refreshToken: secretString().optional(),
    /** For the `jwt_bearer` grant: the assertion to sign (audience defaults to tokenUrl). */
    assertion: z.object(jwtSigningShape).strict().superRefine(checkSigningKey).optional(),
    scope: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    audience: z.string().min(1).optional(),
    /** RFC 8707 resource indicators. */
    resource: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** The authorization server's issuer, used as `aud` of client assertions; default tokenUrl. */
    issuer: z.string().min(1).optional(),
    /** More form parameters for the token request. */
    extraParams: z.record(z.string(), z.string()).default({}),
    expirySkew: expirySkewSchema(),
    /** Longest wait for the token endpoint. */
    tokenTimeout: durationMs().default(10_000),
    unauthorizedStatuses: unauthorizedStatusesSchema(),
    /** Allow an http:// tokenUrl that is not loopback. Secrets then travel unencrypted. */
    allowInsecureHttp: z.boolean().default(false),
    /** Where tokens are kept (in code); default: in memory, per connector. */
    tokenStore: z.custom<TokenStore>(isTokenStore, { error: 'must be an object with get, set and delete (a TokenStore)' }).optional(),
    /** The token store key; default derived from tokenUrl, clientId, grant, scope, audience and resource. */
    storeKey: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    const clientAuth = effectiveClientAuth(c);
    if ((clientAuth === 'client_secret_basic' || clientAuth === 'client_secret_post') && c.clientSecret === undefined) {
      issue('clientSecret', `is required by clientAuth "${clientAuth}"; add it (e.g. "\${env:CLIENT_SECRET}") or choose another clientAuth`);
    }
    if (clientAuth === 'private_key_jwt' && c.privateKey === undefined) {
      issue('privateKey', 'is required by clientAuth "private_key_jwt"; add a PEM or JWK private key');
    }
    if (c.clientId === undefined && !(c.grant === 'jwt_bearer' && clientAuth === 'none')) issue('clientId', 'is required; add the client id');
    if (c.grant === 'client_credentials' && clientAuth === 'none') {
      issue('clientAuth', 'the client_credentials grant needs client authentication; set clientSecret or privateKey');
    }
    if (c.grant === 'refresh_token' && c.refreshToken === undefined) {
      issue('refreshToken', 'is required by the refresh_token grant; add the refresh token (e.g. "${file:/run/secrets/refresh_token}")');
    }
    if (c.grant === 'jwt_bearer' && c.assertion === undefined) issue('assertion', 'is required by the jwt_bearer grant; describe the JWT to sign');
    const url = URL.canParse(c.tokenUrl) ? new URL(c.tokenUrl) : undefined;
    if (url?.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname) && !c.allowInsecureHttp) {
      issue('tokenUrl', 'must use https: the client secret would travel unencrypted; for a trusted network set allowInsecureHttp: true');
    }
    for (const name of Object.keys(c.extraParams)) {
      if (RESERVED_PARAMS.includes(name)) issue('extraParams', `"${name}" is set by the connector; use its own field instead`);
    }
  });

/**
 * Parsed {@link oauth2AuthSchema}.
 *
 * @example
 * ```ts
 * import { oauth2AuthSchema, type OAuth2AuthConfig } from 'ia-connectors';
 * const c: OAuth2AuthConfig = oauth2AuthSchema.parse({ type: 'oauth2', tokenUrl: 'https://a.example/token', clientId: 'x', clientSecret: '${env:S}' });
 * ```
 */
export type OAuth2AuthConfig = z.output<typeof oauth2AuthSchema>;

/**
 * The client authentication method in effect: the configured one, or the one the
 * given credentials imply.
 *
 * @example
 * ```ts
 * import { effectiveClientAuth } from 'ia-connectors';
 * effectiveClientAuth({ clientSecret: '${env:S}' }); // 'client_secret_basic'
 * ```
 */
export function effectiveClientAuth(c: { clientAuth?: (typeof CLIENT_AUTH_METHODS)[number] | undefined; privateKey?: unknown; clientSecret?: string | undefined }) {
  return c.clientAuth ?? (c.privateKey !== undefined ? 'private_key_jwt' : c.clientSecret !== undefined ? 'client_secret_basic' : 'none');
}

/**
 * True when `tokenUrl` may be called over plain http: a loopback host, or the
 * config's explicit `allowInsecureHttp`.
 *
 * @example
 * ```ts
 * import { allowsInsecureHttp } from 'ia-connectors';
 * allowsInsecureHttp('http://127.0.0.1:9090/token', false); // true
 * ```
 */
export function allowsInsecureHttp(tokenUrl: string, allowInsecureHttp: boolean): boolean {
  const url = new URL(tokenUrl);
  return url.protocol === 'http:' && (allowInsecureHttp || LOOPBACK_HOSTS.has(url.hostname));
}
