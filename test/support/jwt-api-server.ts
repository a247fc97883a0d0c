import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';
import type { OAuthServer } from './oauth-server.js';

/** Options for {@link startJwtApiServer}: which credentials it accepts. */
export interface JwtApiServerOptions {
  /** Accepts opaque bearer tokens this token server issued. */
  oauth?: OAuthServer;
  /** Accepts JWTs signed with this key (and matching issuer/audience, when given). */
  jwt?: { key: CryptoKey | KeyObject | Uint8Array; issuer?: string; audience?: string };
}

/** One request as the API saw it. */
export interface ApiRequestRecord {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  at: number;
  /** Why it was refused, when it was. */
  rejected?: string;
}

/**
 * A protected API on 127.0.0.1: every path answers 200 `{ ok, via, subject, claims }`
 * for a valid `Authorization: Bearer` credential and 401 `invalid_token` otherwise.
 */
export interface JwtApiServer {
  readonly url: string;
  readonly requests: ApiRequestRecord[];
  /** Refuse every request with 401 regardless of its credential. */
  rejectAll: boolean;
  /** Refuse the next `n` requests with 401. */
  rejectNext(n: number): void;
  close(): Promise<void>;
}

/** Starts the API server on 127.0.0.1, port 0. */
export async function startJwtApiServer(options: JwtApiServerOptions): Promise<JwtApiServer> {
  const requests: ApiRequestRecord[] = [];
  let forced = 0;
  const server = createServer((req, res) => void handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const api: JwtApiServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    rejectAll: false,
    rejectNext(n) {
      forced = n;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    await once(req, 'end');
    const record: ApiRequestRecord = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() };
    requests.push(record);
    const refuse = (reason: string): void => {
      record.rejected = reason;
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer error="invalid_token", error_description="${reason}"` })
        .end(JSON.stringify({ error: 'invalid_token', error_description: reason }));
    };
    if (api.rejectAll) return refuse('forced');
    if (forced > 0) {
      forced -= 1;
      return refuse('forced');
    }
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ')) return refuse('missing bearer token');
    const token = auth.slice(7);
    const result = token.split('.').length === 3 ? await verifyJwt(token) : verifyOpaque(token);
    if (typeof result === 'string') return refuse(result);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ...result }));
  }

  async function verifyJwt(token: string): Promise<{ via: string; subject?: string; claims: JWTPayload } | string> {
    if (!options.jwt) return 'JWTs are not accepted here';
    try {
      const { issuer, audience } = options.jwt;
      const { payload } = await jwtVerify(token, options.jwt.key, { ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) });
      return { via: 'jwt', ...(payload.sub ? { subject: payload.sub } : {}), claims: payload };
    } catch (error) {
      return `jwt rejected: ${(error as { code?: string }).code ?? 'invalid'}`;
    }
  }

  function verifyOpaque(token: string): { via: string; subject?: string; claims: Record<string, unknown> } | string {
    const grant = options.oauth?.verify(token);
    if (!grant) return 'unknown, expired or revoked token';
    return { via: 'oauth', ...(grant.subject ? { subject: grant.subject } : {}), claims: { client_id: grant.clientId, scope: grant.scope } };
  }

  return api;
}
