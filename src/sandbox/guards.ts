import { sameSecret } from './credentials.js';
import { errorReply, type SandboxHandler } from './http-types.js';
import type { TokenStore } from './token-store.js';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Wraps a handler so it answers 401 with a `WWW-Authenticate: Bearer` challenge
 * unless the request carries a valid token from the sandbox's OAuth endpoint.
 *
 * @example
 * ```ts
 * import { requireBearer } from './guards.js';
 * import { TokenStore } from './token-store.js';
 * const guarded = requireBearer(new TokenStore(3600), () => ({ status: 200, body: {} }));
 * ```
 */
export function requireBearer(tokens: TokenStore, handler: SandboxHandler): SandboxHandler {
  return (request) => {
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (token === undefined) {
      return errorReply(401, 'unauthorized', 'send "Authorization: Bearer <token>"; get a token from the OAuth token endpoint', {
        'www-authenticate': 'Bearer realm="sandbox"',
      });
    }
    const check = tokens.check(token);
    if (check !== 'valid') {
      const description = check === 'expired' ? 'the access token expired' : 'the access token is not one this sandbox issued';
      return errorReply(401, 'invalid_token', `${description}; request a new one`, {
        'www-authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${description}"`,
      });
    }
    return handler(request);
  };
}

/**
 * Wraps a handler so it answers 401 unless the request carries the sandbox's API key in
 * the `X-API-Key` header (or the `api_key` query parameter).
 *
 * @example
 * ```ts
 * import { requireApiKey } from './guards.js';
 * const guarded = requireApiKey('sbx_key_abc', () => ({ status: 200, body: {} }));
 * ```
 */
export function requireApiKey(apiKey: string, handler: SandboxHandler): SandboxHandler {
  return (request) => {
    const header = request.headers['x-api-key'];
    const given = typeof header === 'string' ? header : (request.query.get('api_key') ?? undefined);
    if (given === undefined) return errorReply(401, 'unauthorized', 'send the API key in the "X-API-Key" header');
    if (!sameSecret(given, apiKey)) return errorReply(403, 'forbidden', 'the API key is not valid for this sandbox');
    return handler(request);
  };
}
