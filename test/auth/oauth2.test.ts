import { describe, expect, test, vi } from 'vitest';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { MemoryTokenStore } from '../../src/auth/token-store.js';
import { CLIENT_SECRET, useOAuthFixture } from './support/oauth-fixture.js';

const fx = useOAuthFixture();

describe('client credentials', () => {
  test('fetches a token with client_secret_basic and the API accepts it', async () => {
    const c = fx.connector({ scope: ['read', 'write'], audience: 'https://fx.api.example', resource: ['https://r1.example', 'https://r2.example'] });
    const res = await c.get('/me').send();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, via: 'oauth', claims: { client_id: 'etl', scope: 'read write' } });
    expect(fx.oauth.tokenRequests).toHaveLength(1);
    expect(fx.oauth.tokenRequests[0]).toMatchObject({
      grant: 'client_credentials',
      clientAuth: 'client_secret_basic',
      params: { scope: 'read write', audience: 'https://fx.api.example', resource: ['https://r1.example', 'https://r2.example'] },
    });
    expect(fx.oauth.tokenRequests[0]?.params).not.toHaveProperty('client_secret');
  });

  test('sends the secret in the form body with client_secret_post', async () => {
    const res = await fx.connector({ clientAuth: 'client_secret_post' }).get('/me').send();
    expect(res.status).toBe(200);
    expect(fx.oauth.tokenRequests[0]).toMatchObject({ clientAuth: 'client_secret_post', params: { client_id: 'etl', client_secret: CLIENT_SECRET } });
    expect(fx.oauth.tokenRequests[0]?.headers.authorization).toBeUndefined();
  });

  test('authenticates with private_key_jwt from a PEM key with a kid', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    fx.leaks.secret(pem, (await exportJWK(privateKey)).d ?? '');
    await fx.restart({ clients: [{ id: 'signer', publicKey }] });
    const res = await fx.connector({ clientId: 'signer', clientSecret: undefined, privateKey: pem, keyId: 'k-1' }).get('/me').send();
    expect(res.status).toBe(200);
    expect(fx.oauth.tokenRequests[0]).toMatchObject({ clientAuth: 'private_key_jwt', params: { client_id: 'signer' } });
    const assertion = String(fx.oauth.tokenRequests[0]?.params.client_assertion);
    expect(JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({ alg: 'ES256', kid: 'k-1' });
  });

  test('caches the token: ten sequential calls cost one token request', async () => {
    const c = fx.connector();
    for (let i = 0; i < 10; i++) expect((await c.get('/me').send()).status).toBe(200);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
  });
});

describe('single flight', () => {
  test('100 concurrent calls with no token cause exactly one token request', async () => {
    await fx.restart({ clients: [{ id: 'etl', secret: CLIENT_SECRET }], delayMs: 30 });
    const c = fx.connector();
    const results = await Promise.all(Array.from({ length: 100 }, () => c.get('/me').send()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
  });

  test('100 concurrent calls with an expired cached token cause exactly one refresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await fx.restart({ clients: [{ id: 'etl', secret: CLIENT_SECRET }], delayMs: 30 });
    const c = fx.connector();
    expect((await c.get('/me').send()).status).toBe(200);
    vi.advanceTimersByTime(10 * 60_000); // far past expires_in
    const results = await Promise.all(Array.from({ length: 100 }, () => c.get('/me').send()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    expect(fx.api.requests.filter((r) => r.rejected)).toEqual([]);
  });

  test('refresh_token grant: 100 concurrent calls with an expired token spend the refresh token once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const initial = fx.oauth.issueRefreshToken('etl', 'offline');
    fx.leaks.secret(initial);
    const c = fx.connector({ grant: 'refresh_token', refreshToken: initial });
    expect((await c.get('/me').send()).status).toBe(200);
    vi.advanceTimersByTime(10 * 60_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => c.get('/me').send()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    const used = fx.oauth.tokenRequests.map((r) => r.params.refresh_token);
    expect(used[0]).toBe(initial);
    expect(used[1]).not.toBe(initial); // the rotated one
  });

  test('two connectors sharing a token store share one token', async () => {
    const tokenStore = new MemoryTokenStore();
    const [a, b] = [fx.connector({ tokenStore }), fx.connector({ tokenStore })];
    await Promise.all([a.get('/me').send(), b.get('/me').send()]);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
    expect(JSON.stringify(tokenStore)).toBe('{"type":"MemoryTokenStore","size":1}');
  });
});

describe('expiry', () => {
  test('refreshes proactively, before the token expires, and never sends an expired one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const c = fx.connector({ expirySkew: 10_000 });
    const events = fx.refreshEvents(c);
    expect((await c.get('/me').send()).status).toBe(200);
    vi.advanceTimersByTime(49_000);
    expect((await c.get('/me').send()).status).toBe(200);
    expect(fx.oauth.tokenRequests).toHaveLength(1);

    vi.advanceTimersByTime(2_000); // 51 s: inside the 10 s skew, the old token still valid for 9 s
    expect((await c.get('/me').send()).status).toBe(200);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    const [first, , third] = fx.api.requests;
    expect(third?.headers.authorization).not.toBe(first?.headers.authorization);
    expect(fx.oauth.verify(String(first?.headers.authorization).slice(7))).toBeDefined(); // the old one had not expired yet

    vi.advanceTimersByTime(120_000);
    expect((await c.get('/me').send()).status).toBe(200);
    expect(fx.api.requests.filter((r) => r.rejected)).toEqual([]);
    expect(events.map((e) => [e.reason, e.ok])).toEqual([['initial', true], ['expired', true], ['expired', true]]);
  });

  test('caps the skew at half the lifetime so short-lived tokens are still used', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fx.oauth.lifetimeSeconds = 4; // default skew 30 s would make every token stale on arrival
    const c = fx.connector();
    await c.get('/me').send();
    vi.advanceTimersByTime(1_900);
    await c.get('/me').send();
    expect(fx.oauth.tokenRequests).toHaveLength(1);
    vi.advanceTimersByTime(200);
    await c.get('/me').send();
    expect(fx.oauth.tokenRequests).toHaveLength(2);
  });
});

describe('401 handling', () => {
  test('drops a rejected token, refreshes once and repeats the call once', async () => {
    const c = fx.connector();
    const events = fx.refreshEvents(c);
    await c.get('/me').send();
    fx.oauth.revokeAccessTokens();
    const res = await c.post('/items').json({ n: 1 }).send();
    expect(res.status).toBe(200);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    expect(fx.api.requests.map((r) => r.rejected === undefined)).toEqual([true, false, true]);
    expect(events.at(-1)).toMatchObject({ reason: 'unauthorized', ok: true, strategy: 'oauth2', connector: 'users' });
  });

  test('a second 401 is returned, not looped', async () => {
    const c = fx.connector();
    fx.api.rejectAll = true;
    const res = await c.get('/me').send();
    expect(res.status).toBe(401);
    expect(fx.api.requests).toHaveLength(2);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
  });

  test('20 concurrent calls rejected together share one refresh', async () => {
    const c = fx.connector();
    await c.get('/me').send();
    fx.oauth.revokeAccessTokens();
    const results = await Promise.all(Array.from({ length: 20 }, () => c.get('/me').send()));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(fx.oauth.tokenRequests).toHaveLength(2);
  });

  test('renews on the configured statuses only', async () => {
    const c = fx.connector({ unauthorizedStatuses: [403] });
    fx.api.rejectNext(2);
    expect((await c.get('/me').send()).status).toBe(401);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
  });

  test('does not repeat a request whose streamed body is already consumed', async () => {
    const c = fx.connector();
    await c.get('/me').send();
    fx.api.rejectNext(1);
    const res = await c.post('/upload').body((async function* () { yield new TextEncoder().encode('x'); })()).send();
    expect(res.status).toBe(401);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
  });

  test('with throwHttpErrors, the second 401 throws HTTP_STATUS', async () => {
    fx.api.rejectAll = true;
    const error = await fx.authError(fx.connector({}, { throwHttpErrors: true }).get('/me').send());
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.status).toBe(401);
  });
});

describe('refresh_token grant', () => {
  test('uses the rotated refresh token next time, never the spent one', async () => {
    const initial = fx.oauth.issueRefreshToken('etl', 'offline');
    fx.leaks.secret(initial);
    const c = fx.connector({ grant: 'refresh_token', refreshToken: initial });
    await c.get('/me').send();
    fx.oauth.revokeAccessTokens();
    expect((await c.get('/me').send()).status).toBe(200);
    fx.oauth.revokeAccessTokens();
    expect((await c.get('/me').send()).status).toBe(200);
    const used = fx.oauth.tokenRequests.map((r) => r.params.refresh_token);
    expect(used[0]).toBe(initial);
    expect(new Set(used).size).toBe(3);
    expect(fx.oauth.tokenRequests.every((r) => r.grant === 'refresh_token')).toBe(true);
  });

  test('a refused refresh token is an AUTH error with invalid_grant', async () => {
    const c = fx.connector({ grant: 'refresh_token', refreshToken: 'rt-never-issued-by-the-server' });
    fx.leaks.secret('rt-never-issued-by-the-server');
    const error = await fx.authError(c.get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: false, details: { status: 400, oauthError: 'invalid_grant' } });
    expect(error.message).toContain('obtain a new one');
  });
});

