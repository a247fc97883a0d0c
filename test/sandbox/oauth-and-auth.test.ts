import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, fetchToken, useSandbox } from './helpers.js';

const fixture = useSandbox();
const form = { 'content-type': 'application/x-www-form-urlencoded' };

afterEach(() => {
  vi.useRealTimers();
});

describe('sandbox OAuth 2.0 token endpoint', () => {
  it('issues a bearer token for client_credentials with HTTP Basic client authentication', async () => {
    const sandbox = await fixture.start();
    const { clientId, clientSecret } = sandbox.credentials;
    const res = await call(sandbox.urls.tokenUrl, {
      method: 'POST',
      headers: { ...form, authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=read',
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    expect((res.body as { access_token: string }).access_token).toMatch(/^sbx_at_/);
    expect(sandbox.tokensIssued).toBe(1);
  });

  it('accepts client credentials in the form body (client_secret_post)', async () => {
    const sandbox = await fixture.start();
    const { clientId, clientSecret } = sandbox.credentials;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
    const res = await call(sandbox.urls.tokenUrl, { method: 'POST', headers: form, body });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong secret with invalid_client and an unsupported grant with unsupported_grant_type', async () => {
    const sandbox = await fixture.start();
    const { clientId, clientSecret } = sandbox.credentials;
    const wrong = await call(sandbox.urls.tokenUrl, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope-nope' }).toString(),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    const grant = await call(sandbox.urls.tokenUrl, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ grant_type: 'password', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    expect(grant.status).toBe(400);
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
    expect(sandbox.tokensIssued).toBe(0);
  });

  it('publishes RFC 8414 metadata naming its token endpoint', async () => {
    const sandbox = await fixture.start();
    const res = await call(`${sandbox.urls.oauth}/.well-known/oauth-authorization-server`);
    expect(res.body).toMatchObject({ issuer: sandbox.urls.oauth, token_endpoint: sandbox.urls.tokenUrl });
  });

  it('generates different credentials per start unless they are given', async () => {
    const a = await fixture.start();
    const secretA = a.credentials.clientSecret;
    await a.close();
    const b = await fixture.start({ credentials: { clientSecret: 'fixed-secret-1234' } });
    expect(b.credentials.clientSecret).toBe('fixed-secret-1234');
    expect(b.credentials.apiKey).not.toBe(a.credentials.apiKey);
    expect(secretA).not.toBe('fixed-secret-1234');
  });
});

describe('sandbox endpoints that need auth', () => {
  it('answers 401 with a Bearer challenge without a token, and 200 with one', async () => {
    const sandbox = await fixture.start();
    const anonymous = await call(`${sandbox.urls.rest}/users/ada`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="sandbox"');
    const forged = await call(`${sandbox.urls.rest}/users/ada`, { headers: { authorization: 'Bearer made-up' } });
    expect(forged.status).toBe(401);
    expect(String(forged.headers['www-authenticate'])).toContain('error="invalid_token"');
    const token = await fetchToken(sandbox);
    const ok = await call(`${sandbox.urls.rest}/users/ada`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: 1, username: 'ada', post_count: 3 });
  });

  it('rejects a token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sandbox = await fixture.start({ tokenTtlSeconds: 60 });
    const token = await fetchToken(sandbox);
    const headers = { authorization: `Bearer ${token}` };
    expect((await call(`${sandbox.urls.rest}/users/1`, { headers })).status).toBe(200);
    vi.setSystemTime(Date.now() + 59_000);
    expect((await call(`${sandbox.urls.rest}/users/1`, { headers })).status).toBe(200);
    vi.setSystemTime(Date.now() + 1_000);
    const expired = await call(`${sandbox.urls.rest}/users/1`, { headers });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: 'invalid_token' });
  });

  it('guards prices with an API key: 401 without, 403 wrong, 200 right (header or query)', async () => {
    const sandbox = await fixture.start();
    const url = `${sandbox.urls.rest}/prices/eu`;
    expect((await call(url)).status).toBe(401);
    expect((await call(url, { headers: { 'x-api-key': 'wrong-key' } })).status).toBe(403);
    const ok = await call(url, { headers: { 'x-api-key': sandbox.credentials.apiKey } });
    expect(ok.status).toBe(200);
    expect((ok.body as unknown[]).length).toBe(6);
    expect((await call(`${url}?api_key=${encodeURIComponent(sandbox.credentials.apiKey)}`)).status).toBe(200);
  });
});
