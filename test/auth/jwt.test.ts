import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { decodeJwt, decodeProtectedHeader, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { createRestConnector, type RestConnector } from '../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../src/protocols/rest/config.js';
import { echo, startServer } from '../support/index.js';
import { startJwtApiServer, type JwtApiServer } from '../support/jwt-api-server.js';
import { startOAuthServer } from '../support/oauth-server.js';
import { createLeakWatch } from './support/leak-watch.js';

const HS_SECRET = 'hs256-shared-secret-for-tests-0123456789abcdef';
const leaks = createLeakWatch();
leaks.secret(HS_SECRET);

interface KeySet {
  publicKey: CryptoKey;
  pem: string;
  jwk: Record<string, unknown>;
}
const keys = {} as Record<'RS256' | 'ES256' | 'EdDSA', KeySet>;

beforeAll(async () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)) };
    keys[alg] = { publicKey, pem: await exportPKCS8(privateKey), jwk };
    leaks.secret(keys[alg].pem, String(jwk.d));
  }
});
afterAll(() => {
  leaks.restore();
  expect(leaks.leaks()).toEqual([]);
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

async function apiFor(key: CryptoKey | Uint8Array, checks: { issuer?: string; audience?: string } = {}): Promise<JwtApiServer> {
  const api = await startJwtApiServer({ jwt: { key, ...checks } });
  cleanup.push(() => api.close());
  return api;
}

function connector(baseUrl: string, auth: Record<string, unknown>, extra: Partial<RestConnectorOptions> = {}): RestConnector {
  const c = createRestConnector({ name: 'signer', baseUrl, auth: { type: 'jwt', ...auth } as RestConnectorOptions['auth'], retry: { maxAttempts: 1 }, ...extra });
  leaks.watch(c);
  cleanup.push(() => c.disconnect());
  return c;
}

function tokenOf(api: JwtApiServer, index: number): string {
  return String(api.requests[index]?.headers.authorization).slice('Bearer '.length);
}

describe('signing', () => {
  test('HS256 with a shared secret, with issuer, subject, audience, custom claims and kid', async () => {
    const api = await apiFor(new TextEncoder().encode(HS_SECRET), { issuer: 'etl', audience: 'https://api.example' });
    const c = connector(api.url, { secret: HS_SECRET, issuer: 'etl', subject: 'job-7', audience: 'https://api.example', keyId: 'hs-1', claims: { scope: 'read' }, lifetime: 120_000 });
    const res = await c.get('/me').send();
    expect(res.status).toBe(200);
    expect((res.body as { subject: string; claims: Record<string, unknown> }).subject).toBe('job-7');
    expect((res.body as { subject: string; claims: Record<string, unknown> }).claims).toMatchObject({ iss: 'etl', aud: 'https://api.example', scope: 'read' });
    const claims = decodeJwt(tokenOf(api, 0));
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
    expect(typeof claims.jti).toBe('string');
    expect(decodeProtectedHeader(tokenOf(api, 0))).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'hs-1' });
  });

  test.each(['RS256', 'ES256', 'EdDSA'] as const)('%s from a PEM key (algorithm inferred) and from a JWK', async (alg) => {
    const api = await apiFor(keys[alg].publicKey);
    expect((await connector(api.url, { privateKey: keys[alg].pem }).get('/me').send()).status).toBe(200);
    expect((await connector(api.url, { privateKey: JSON.stringify({ ...keys[alg].jwk, kid: 'from-jwk' }), algorithm: alg }).get('/me').send()).status).toBe(200);
    expect((await connector(api.url, { privateKey: keys[alg].jwk }).get('/me').send()).status).toBe(200);
    expect(decodeProtectedHeader(tokenOf(api, 0)).alg).toBe(alg);
    expect(decodeProtectedHeader(tokenOf(api, 1)).kid).toBe('from-jwk');
  });

  test('an RSA key in PKCS#1 PEM works too', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    leaks.secret(pem);
    const api = await startJwtApiServer({ jwt: { key: publicKey } });
    cleanup.push(() => api.close());
    expect((await connector(api.url, { privateKey: pem }).get('/me').send()).status).toBe(200);
  });

  test('a custom header and an empty scheme send the bare token', async () => {
    const server = await startServer();
    cleanup.push(() => server.close());
    server.route('GET', '/*', echo());
    const res = await connector(server.url, { secret: HS_SECRET, header: 'X-Service-Token', scheme: '' }).get('/x').send();
    expect((res.body as { headers: Record<string, string> }).headers['x-service-token']?.split('.')).toHaveLength(3);
    expect((res.body as { headers: Record<string, string> }).headers.authorization).toBeUndefined();
  });
});

describe('caching', () => {
  test('reuses one token, and re-signs shortly before it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const api = await apiFor(new TextEncoder().encode(HS_SECRET));
    const c = connector(api.url, { secret: HS_SECRET, lifetime: 60_000, expirySkew: 10_000 });
    await c.get('/a').send();
    vi.advanceTimersByTime(49_000);
    await c.get('/b').send();
    expect(tokenOf(api, 1)).toBe(tokenOf(api, 0));
    vi.advanceTimersByTime(2_000);
    await c.get('/c').send();
    expect(tokenOf(api, 2)).not.toBe(tokenOf(api, 0));
    expect(api.requests.every((r) => r.rejected === undefined)).toBe(true);
  });

  test('with cache: false, signs per request', async () => {
    const api = await apiFor(new TextEncoder().encode(HS_SECRET));
    const c = connector(api.url, { secret: HS_SECRET, cache: false });
    await Promise.all([c.get('/a').send(), c.get('/b').send()]);
    expect(decodeJwt(tokenOf(api, 0)).jti).not.toBe(decodeJwt(tokenOf(api, 1)).jti);
  });

  test('after a 401, signs a new token and repeats once', async () => {
    const api = await apiFor(new TextEncoder().encode(HS_SECRET));
    const c = connector(api.url, { secret: HS_SECRET });
    const reasons: string[] = [];
    c.on('authRefresh', (e) => reasons.push(e.reason));
    api.rejectNext(1);
    expect((await c.get('/me').send()).status).toBe(200);
    expect(tokenOf(api, 1)).not.toBe(tokenOf(api, 0));
    expect(reasons).toEqual(['initial', 'unauthorized']);
  });
});

describe('jwt_bearer grant (RFC 7523)', () => {
  test('signs an assertion and exchanges it at the token endpoint', async () => {
    const oauth = await startOAuthServer({ clients: [], assertionIssuers: { 'etl-signer': keys.ES256.publicKey } });
    const api = await startJwtApiServer({ oauth });
    cleanup.push(() => oauth.close(), () => api.close());
    const c = createRestConnector({
      name: 'exchange',
      baseUrl: api.url,
      retry: { maxAttempts: 1 },
      auth: { type: 'oauth2', grant: 'jwt_bearer', tokenUrl: oauth.tokenUrl, assertion: { privateKey: keys.ES256.pem, issuer: 'etl-signer', subject: 'svc-1' }, scope: 'read' },
    });
    leaks.watch(c);
    cleanup.push(() => c.disconnect());
    const res = await c.get('/me').send();
    expect((res.body as { via: string; subject: string })).toMatchObject({ via: 'oauth', subject: 'svc-1' });
    expect(oauth.tokenRequests[0]).toMatchObject({ grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer', clientAuth: 'none', params: { scope: 'read' } });
    expect(oauth.tokenRequests[0]?.params).not.toHaveProperty('client_id');
    expect(decodeJwt(String(oauth.tokenRequests[0]?.params.assertion)).aud).toBe(oauth.tokenUrl);
    leaks.secret(...oauth.issued, String(oauth.tokenRequests[0]?.params.assertion));
  });
});

describe('key problems are CONFIG errors at connect', () => {
  test.each([
    [{ secret: 'too-short' }, 'auth.secret is 9 bytes; HS256 needs at least 32 bytes'],
    [{ privateKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }, 'auth.privateKey is not a usable private key in PEM'],
    [{ privateKey: '{"kty":"EC"' }, 'auth.privateKey starts with "{" but is not a JSON object'],
    [{ privateKey: '{"kty":"EC","crv":"P-256","x":"a","y":"b"}' }, 'auth.privateKey is a public JWK (no "d")'],
  ])('%j', async (auth, message) => {
    const error = await leaks.rejection(connector('http://127.0.0.1:9', auth).connect());
    expect(error).toMatchObject({ code: 'CONFIG', message: expect.stringContaining(message) });
  });

  test('a key that does not match the algorithm', async () => {
    const error = await leaks.rejection(connector('http://127.0.0.1:9', { privateKey: keys.ES256.pem, algorithm: 'RS256' }).connect());
    expect(error).toMatchObject({ code: 'CONFIG', message: 'auth.algorithm is RS256 but the private key is a ES256 key; change algorithm to ES256 or give a matching key' });
  });

  test('an RSA key below 2048 bits', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    leaks.secret(small);
    const error = await leaks.rejection(connector('http://127.0.0.1:9', { privateKey: small }).connect());
    expect(error).toMatchObject({ code: 'CONFIG', message: expect.stringContaining('shorter than 2048 bits') });
  });

  test('a curve other than P-256', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    leaks.secret(p384);
    const error = await leaks.rejection(connector('http://127.0.0.1:9', { privateKey: p384 }).connect());
    expect(error).toMatchObject({ code: 'CONFIG', message: expect.stringContaining('ec (secp384r1) key') });
  });

  test.each([
    [{}, 'auth.privateKey: is required'],
    [{ secret: HS_SECRET, privateKey: 'x' }, 'give either secret (HS256) or privateKey'],
    [{ secret: HS_SECRET, algorithm: 'ES256' }, 'auth.algorithm: ES256 signs with a private key'],
    [{ secret: HS_SECRET, claims: { exp: 1 } }, 'auth.claims.exp: "exp" is set by the connector'],
  ])('parse-time problem %j', (auth, message) => {
    expect(() => connector('http://127.0.0.1:9', auth)).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining(message) }));
  });

  test('the public key is never accepted as a private one', async () => {
    const spki = await exportSPKI(keys.ES256.publicKey);
    const error = await leaks.rejection(connector('http://127.0.0.1:9', { privateKey: spki }).connect());
    expect(error).toMatchObject({ code: 'CONFIG' });
  });
});
