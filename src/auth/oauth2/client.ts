import { ConnectorError } from '../../core/errors.js';
import * as oauth from 'oauth4webapi';
import { resolveSigningKey } from '../jwt/resolve-key.js';
import type { SigningKey } from '../jwt/keys.js';
import { resolveSecretRef } from '../secret-ref.js';
import type { AuthLayerContext } from '../strategy.js';
import { allowsInsecureHttp, effectiveClientAuth, type OAuth2AuthConfig } from './schema.js';

/**
 * Everything a token request needs, prepared once at connect: the oauth4webapi
 * server and client descriptions, the client authentication (secrets resolved, keys
 * imported) and the grant's fixed parameters.
 *
 * @example
 * ```ts
 * import type { OAuth2Client } from 'ia-connectors';
 * const grantOf = (c: OAuth2Client) => c.grant;
 * ```
 */
export interface OAuth2Client {
  grant: OAuth2AuthConfig['grant'];
  tokenUrl: string;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** scope, audience, resource and extraParams, as form parameters. */
  params: URLSearchParams;
  /** The refresh token from the config, for the first refresh. */
  refreshToken?: string;
  /** The key that signs `jwt_bearer` assertions. */
  assertionKey?: SigningKey;
  options: oauth.TokenEndpointRequestOptions;
}

/**
 * Resolves the secrets of an `oauth2` config and builds its {@link OAuth2Client}.
 *
 * @example
 * ```ts
 * import { prepareOAuth2Client, oauth2AuthSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const config = oauth2AuthSchema.parse({ type: 'oauth2', tokenUrl: 'http://127.0.0.1:9090/token', clientId: 'etl', clientSecret: 's3cr3t!' });
 * const client = await prepareOAuth2Client(config, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export async function prepareOAuth2Client(config: OAuth2AuthConfig, context: AuthLayerContext): Promise<OAuth2Client> {
  const { redactor } = context;
  const clientId = config.clientId === undefined ? undefined : await resolveSecretRef(config.clientId, { field: 'auth.clientId' });
  const method = effectiveClientAuth(config);
  let clientAuth: oauth.ClientAuth;
  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    const secret = await resolveSecretRef(config.clientSecret ?? '', { field: 'auth.clientSecret', redactor });
    clientAuth = method === 'client_secret_basic' ? oauth.ClientSecretBasic(secret) : oauth.ClientSecretPost(secret);
  } else if (method === 'private_key_jwt') {
    const key = await resolveSigningKey({ privateKey: config.privateKey, keyId: config.keyId }, 'auth', redactor);
    if (key.key instanceof Uint8Array) throw new ConnectorError('CONFIG', 'auth.privateKey: private_key_jwt needs an RSA, EC P-256 or Ed25519 private key');
    clientAuth = oauth.PrivateKeyJwt(key.kid ? { key: key.key, kid: key.kid } : key.key);
  } else {
    clientAuth = clientId === undefined ? () => undefined : oauth.None();
  }
  const refreshToken = config.refreshToken === undefined ? undefined : await resolveSecretRef(config.refreshToken, { field: 'auth.refreshToken', redactor });
  const assertionKey = config.assertion ? await resolveSigningKey(config.assertion, 'auth.assertion', redactor) : undefined;
  const timeoutMs = config.tokenTimeout;
  return {
    grant: config.grant,
    tokenUrl: config.tokenUrl,
    as: { issuer: config.issuer ?? config.tokenUrl, token_endpoint: config.tokenUrl },
    // oauth4webapi insists on a client_id; without one (jwt_bearer, no client auth) the
    // placeholder never leaves, as the no-op client auth puts nothing in the request.
    client: { client_id: clientId ?? 'anonymous' },
    clientAuth,
    params: grantParams(config),
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    ...(assertionKey ? { assertionKey } : {}),
    options: {
      // A fresh timeout per token request; the library enforces https unless told otherwise.
      signal: () => AbortSignal.timeout(timeoutMs),
      ...(allowsInsecureHttp(config.tokenUrl, config.allowInsecureHttp) ? { [oauth.allowInsecureRequests]: true } : {}),
    },
  };
}

function grantParams(config: OAuth2AuthConfig): URLSearchParams {
  const params = new URLSearchParams();
  if (config.scope !== undefined) params.set('scope', Array.isArray(config.scope) ? config.scope.join(' ') : config.scope);
  if (config.audience !== undefined) params.set('audience', config.audience);
  for (const resource of config.resource === undefined ? [] : [config.resource].flat()) params.append('resource', resource);
  for (const [name, value] of Object.entries(config.extraParams)) params.set(name, value);
  return params;
}
