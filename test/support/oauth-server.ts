import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type CryptoKey, type KeyObject } from 'jose';

type VerifyKey = CryptoKey | KeyObject | Uint8Array;

/** A client registered at the token server. */
export interface OAuthClientSpec {
  id: string;
  /** For client_secret_basic and client_secret_post. */
  secret?: string;
  /** For private_key_jwt: verifies the client assertion (iss = sub = id, aud = issuer). */
  publicKey?: VerifyKey;
}

/** Options for {@link startOAuthServer}. */
export interface OAuthServerOptions {
  clients: OAuthClientSpec[];
  /** `expires_in` of issued access tokens. @default 60 */
  lifetimeSeconds?: number;
  /** Issue a new refresh token on every refresh and refuse the old one. @default true */
  rotateRefreshTokens?: boolean;
  /** Keys that may sign jwt-bearer grant assertions, by `iss`. */
  assertionIssuers?: Record<string, VerifyKey>;
  /** Wait before answering each token request (global setTimeout). @default 0 */
  delayMs?: number;
}

/** How the next token requests fail, or `undefined` to answer normally. */
export type FailureMode =
  /** 401 with `WWW-Authenticate: Basic` and an error_description that echoes the client secret it received. */
  | 'invalid_client'
  /** 500 with an HTML body. */
  | 'http_500'
  /** 503 `{ error: 'temporarily_unavailable' }`. */
  | 'unavailable'
  /** Never answers. */
  | 'stall';

/** One token request as the server saw it. */
export interface TokenRequestRecord {
  grant: string;
  clientId: string | undefined;
  clientAuth: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  params: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  at: number;
}

/** What an access token stands for. */
export interface TokenGrant {
  clientId: string | undefined;
  subject: string | undefined;
  scope: string | undefined;
}

/** A real OAuth 2.0 token endpoint on 127.0.0.1 for tests. */
export interface OAuthServer {
  readonly url: string;
  /** `${url}/token`; also the issuer, i.e. the `aud` of client assertions. */
  readonly tokenUrl: string;
  /** Every token request, in order. */
  readonly tokenRequests: TokenRequestRecord[];
  /** Every access and refresh token issued, for tests that look for leaks. */
  readonly issued: string[];
  lifetimeSeconds: number;
  /** Makes the next `times` token requests (all, when omitted) fail as `mode`; `undefined` heals. */
  failWith(mode: FailureMode | undefined, times?: number): void;
  /** A refresh token "obtained elsewhere", e.g. by an authorization-code flow. */
  issueRefreshToken(clientId: string, scope?: string): string;
  /** The grant behind a valid, unexpired, unrevoked access token. */
  verify(accessToken: string): TokenGrant | undefined;
  /** Revokes every access token issued so far (refresh tokens stay valid). */
  revokeAccessTokens(): void;
  close(): Promise<void>;
}

/** Starts the token server on 127.0.0.1, port 0. */
export async function startOAuthServer(options: OAuthServerOptions): Promise<OAuthServer> {
  const clients = new Map(options.clients.map((c) => [c.id, c]));
  const accessTokens = new Map<string, TokenGrant & { expiresAt: number; revoked: boolean }>();
  const refreshTokens = new Map<string, { clientId: string; scope: string | undefined; used: boolean }>();
  const tokenRequests: TokenRequestRecord[] = [];
  const issued: string[] = [];
  let failure: { mode: FailureMode; remaining: number } | undefined;
  let counter = 0;

  const server = createServer((req, res) => void handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenUrl = `${url}/token`;

  const api: OAuthServer = {
    url,
    tokenUrl,
    tokenRequests,
    issued,
    lifetimeSeconds: options.lifetimeSeconds ?? 60,
    failWith(mode, times = Number.POSITIVE_INFINITY) {
      failure = mode === undefined ? undefined : { mode, remaining: times };
    },
    issueRefreshToken(clientId, scope) {
      const token = `rt-${++counter}-${randomBytes(12).toString('hex')}`;
      refreshTokens.set(token, { clientId, scope, used: false });
      issued.push(token);
      return token;
    },
    verify(accessToken) {
      const grant = accessTokens.get(accessToken);
      if (!grant || grant.revoked || Date.now() >= grant.expiresAt) return undefined;
      return { clientId: grant.clientId, subject: grant.subject, scope: grant.scope };
    },
    revokeAccessTokens() {
      for (const grant of accessTokens.values()) grant.revoked = true;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const params: Record<string, string | string[]> = {};
    for (const key of new Set(form.keys())) {
      const all = form.getAll(key);
      params[key] = all.length === 1 ? (all[0] as string) : all;
    }
    const basic = parseBasic(req.headers.authorization);
    const clientAuth = basic ? 'client_secret_basic' : form.has('client_assertion') ? 'private_key_jwt' : form.has('client_secret') ? 'client_secret_post' : 'none';
    const clientId = basic?.id ?? form.get('client_id') ?? undefined;
    tokenRequests.push({ grant: form.get('grant_type') ?? '', clientId, clientAuth, params, headers: req.headers, at: Date.now() });

    if (req.method !== 'POST' || req.url !== '/token') return reply(res, 404, { error: 'not_found' });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      const { mode } = failure;
      if (mode === 'stall') return;
      if (mode === 'http_500') return void res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal error</body></html>');
      if (mode === 'unavailable') return reply(res, 503, { error: 'temporarily_unavailable', error_description: 'try again later' });
      const sent = basic?.secret ?? form.get('client_secret') ?? '';
      return reply(res, 401, { error: 'invalid_client', error_description: `client authentication failed for secret "${sent}"` }, { 'www-authenticate': 'Basic realm="token"' });
    }

    const client = clientId === undefined ? undefined : clients.get(clientId);
    const authenticated = await authenticate(client, clientAuth, basic?.secret ?? form.get('client_secret'), form.get('client_assertion'));
    const grant = form.get('grant_type');
    if (clientAuth !== 'none' && !authenticated) return reply(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });

    if (grant === 'client_credentials') {
      if (!authenticated) return reply(res, 401, { error: 'invalid_client', error_description: 'client authentication required' });
      return reply(res, 200, issue(clientId, undefined, form.get('scope') ?? undefined));
    }
    if (grant === 'refresh_token') {
      const entry = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!entry || entry.used || entry.clientId !== clientId) return reply(res, 400, { error: 'invalid_grant', error_description: 'refresh token is invalid, expired or already used' });
      const rotate = options.rotateRefreshTokens ?? true;
      if (rotate) entry.used = true;
      const body = issue(clientId, undefined, entry.scope);
      return reply(res, 200, rotate ? { ...body, refresh_token: api.issueRefreshToken(entry.clientId, entry.scope) } : body);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const subject = await verifyAssertion(form.get('assertion') ?? '');
      if (subject === undefined) return reply(res, 400, { error: 'invalid_grant', error_description: 'assertion rejected' });
      return reply(res, 200, issue(clientId, subject, form.get('scope') ?? undefined));
    }
    return reply(res, 400, { error: 'unsupported_grant_type' });
  }

  function issue(clientId: string | undefined, subject: string | undefined, scope: string | undefined): Record<string, unknown> {
    const token = `at-${++counter}-${randomBytes(12).toString('hex')}`;
    const lifetime = api.lifetimeSeconds;
    accessTokens.set(token, { clientId, subject, scope, expiresAt: Date.now() + lifetime * 1000, revoked: false });
    issued.push(token);
    return { access_token: token, token_type: 'Bearer', expires_in: lifetime, ...(scope ? { scope } : {}) };
  }

  async function authenticate(client: OAuthClientSpec | undefined, method: TokenRequestRecord['clientAuth'], secret: string | null | undefined, assertion: string | null): Promise<boolean> {
    if (!client) return false;
    if (method === 'client_secret_basic' || method === 'client_secret_post') return client.secret !== undefined && secret === client.secret;
    if (method === 'private_key_jwt' && client.publicKey && assertion) {
      try {
        await jwtVerify(assertion, client.publicKey, { issuer: client.id, subject: client.id, audience: tokenUrl });
        return true;
      } catch {
        return false;
      }
    }
    return false;
  }

  async function verifyAssertion(assertion: string): Promise<string | undefined> {
    for (const [issuer, key] of Object.entries(options.assertionIssuers ?? {})) {
      try {
        const { payload } = await jwtVerify(assertion, key, { issuer, audience: tokenUrl });
        return payload.sub ?? issuer;
      } catch {
        // try the next issuer's key
      }
    }
    return undefined;
  }

  return api;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

// RFC 6749 §2.3.1: id and secret are form-encoded before base64.
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}
