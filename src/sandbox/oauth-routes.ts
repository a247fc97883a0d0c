import { sameSecret, type SandboxCredentials } from './credentials.js';
import type { SandboxReply, SandboxRequest, SandboxRoute } from './http-types.js';
import type { TokenStore } from './token-store.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The sandbox's OAuth 2.0 authorization server: `POST /oauth/token` for the
 * client_credentials grant (client authentication by HTTP Basic or by form fields, as
 * RFC 6749 §2.3.1 allows) and its RFC 8414 metadata. Errors follow RFC 6749 §5.2.
 *
 * @example
 * ```ts
 * import { oauthRoutes } from './oauth-routes.js';
 * import { sandboxCredentials } from './credentials.js';
 * import { TokenStore } from './token-store.js';
 * const routes = oauthRoutes(sandboxCredentials(), new TokenStore(3600));
 * ```
 */
export function oauthRoutes(credentials: SandboxCredentials, tokens: TokenStore): SandboxRoute[] {
  const metadata = (request: SandboxRequest): SandboxReply => ({
    status: 200,
    body: {
      issuer: request.origin,
      token_endpoint: `${request.origin}/oauth/token`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['read', 'write'],
    },
  });
  return [
    { method: 'GET', path: '/.well-known/oauth-authorization-server', handler: metadata },
    { method: 'GET', path: '/.well-known/openid-configuration', handler: metadata },
    { method: 'POST', path: '/oauth/token', handler: (request) => token(request, credentials, tokens) },
  ];
}

function token(request: SandboxRequest, credentials: SandboxCredentials, tokens: TokenStore): SandboxReply {
  const form = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : undefined;
  if (!form) return oauthError(400, 'invalid_request', 'send an application/x-www-form-urlencoded body with grant_type=client_credentials');
  const client = clientOf(request.headers.authorization, form);
  if (!client || client.id !== credentials.clientId || !sameSecret(client.secret, credentials.clientSecret)) {
    return oauthError(401, 'invalid_client', 'unknown client or wrong client secret', { 'www-authenticate': 'Basic realm="sandbox"' });
  }
  if (form['grant_type'] !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'this sandbox issues tokens for grant_type=client_credentials only');
  }
  const { accessToken, expiresIn } = tokens.issue();
  const scope = typeof form['scope'] === 'string' ? form['scope'] : 'read';
  return { status: 200, headers: NO_STORE, body: { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope } };
}

function clientOf(authorization: string | undefined, form: Record<string, unknown>): { id: string; secret: string } | undefined {
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    const decode = (text: string): string | undefined => {
      try {
        return decodeURIComponent(text.replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    };
    const id = decode(decoded.slice(0, colon));
    const secret = decode(decoded.slice(colon + 1));
    return id === undefined || secret === undefined ? undefined : { id, secret };
  }
  const id = form['client_id'];
  const secret = form['client_secret'];
  return typeof id === 'string' && typeof secret === 'string' ? { id, secret } : undefined;
}

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): SandboxReply {
  return { status, headers: { ...NO_STORE, ...headers }, body: { error, error_description: description } };
}
