import * as oauth from 'oauth4webapi';
import { signJwt, type JwtClaimsSpec } from '../jwt/sign.js';
import type { StoredToken } from '../token-store.js';
import type { OAuth2Client } from './client.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Performs one token request for the client's grant with oauth4webapi and returns
 * the token to store; a rotated refresh token replaces `refreshToken`, otherwise
 * the one used is kept. Errors are oauth4webapi's or fetch's, unmapped.
 *
 * @example
 * ```ts
 * import { requestToken, type OAuth2Client } from 'ia-connectors';
 * declare const client: OAuth2Client;
 * const token = await requestToken(client, undefined, undefined);
 * ```
 */
export async function requestToken(
  client: OAuth2Client,
  refreshToken: string | undefined,
  assertion: JwtClaimsSpec | undefined,
  hide: (secret: string) => void = () => undefined,
): Promise<StoredToken> {
  const { as, clientAuth, options } = client;
  // expires_in counts from issuance, so the clock starts before the request leaves.
  const obtainedAt = Date.now();
  const params = new URLSearchParams(client.params);
  let response: oauth.TokenEndpointResponse;
  if (client.grant === 'client_credentials') {
    const res = await oauth.clientCredentialsGrantRequest(as, client.client, clientAuth, params, options);
    response = await oauth.processClientCredentialsResponse(as, client.client, res);
  } else if (client.grant === 'refresh_token') {
    const res = await oauth.refreshTokenGrantRequest(as, client.client, clientAuth, refreshToken ?? '', { ...options, additionalParameters: params });
    response = await oauth.processRefreshTokenResponse(as, client.client, res);
  } else {
    if (!client.assertionKey || !assertion) throw new TypeError('the jwt_bearer grant needs auth.assertion');
    const signed = await signJwt(client.assertionKey, { ...assertion, audience: assertion.audience ?? client.tokenUrl });
    hide(signed.token);
    params.set('assertion', signed.token);
    const res = await oauth.genericTokenEndpointRequest(as, client.client, clientAuth, JWT_BEARER, params, options);
    response = await oauth.processGenericTokenEndpointResponse(as, client.client, res);
  }
  return {
    accessToken: response.access_token,
    tokenType: response.token_type,
    obtainedAt,
    ...(response.expires_in !== undefined ? { expiresAt: obtainedAt + response.expires_in * 1000 } : {}),
    ...((response.refresh_token ?? refreshToken) !== undefined ? { refreshToken: response.refresh_token ?? refreshToken } : {}),
    ...(response.scope !== undefined ? { scope: response.scope } : {}),
  };
}
