import { describe, expect, test } from 'vitest';
import { json, startServer } from '../support/index.js';
import { CLIENT_SECRET, useOAuthFixture } from './support/oauth-fixture.js';

const fx = useOAuthFixture();

describe('token endpoint failures', () => {
  test('invalid_client becomes AUTH with error and error_description, the echoed secret redacted', async () => {
    fx.oauth.failWith('invalid_client');
    const c = fx.connector();
    const events = fx.refreshEvents(c);
    const error = await fx.authError(c.get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: false, details: { status: 401, oauthError: 'invalid_client' } });
    expect(error.details.oauthErrorDescription).toBe('client authentication failed for secret "[REDACTED]"');
    expect(error.message).toContain('check auth.clientId, auth.clientSecret');
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(events).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'AUTH' }) })]);
    expect(fx.api.requests).toHaveLength(0);
  });

  test('a wrong secret is reported as invalid_client', async () => {
    const error = await fx.authError(fx.connector({ clientSecret: 'wrong-secret-value' }).get('/me').send());
    fx.leaks.secret('wrong-secret-value');
    expect(error.details).toMatchObject({ status: 401, oauthError: 'invalid_client', oauthErrorDescription: 'client authentication failed' });
  });

  test('a 500 without an OAuth body is a retryable AUTH error', async () => {
    fx.oauth.failWith('http_500', 1);
    const c = fx.connector();
    const error = await fx.authError(c.get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: true, details: { status: 500 } });
    expect((await c.get('/me').send()).status).toBe(200); // healed: the next call fetches again
  });

  test('the retry policy repeats a call whose token request failed transiently', async () => {
    fx.oauth.failWith('http_500', 1);
    const c = fx.connector({}, { retry: { maxAttempts: 2, baseDelay: 1, jitter: 'none' } });
    const retries: unknown[] = [];
    c.on('retry', (e) => retries.push(e));
    expect((await c.get('/me').send()).status).toBe(200);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    expect(retries).toEqual([expect.objectContaining({ reason: 'AUTH' })]);
  });

  test('a 200 without an access_token is a non-retryable AUTH error', async () => {
    const fake = await startServer();
    fake.route('POST', '/token', json(200, { token_type: 'Bearer', expires_in: 60 }));
    try {
      const error = await fx.authError(fx.connector({ tokenUrl: `${fake.url}/token` }).get('/me').send());
      expect(error).toMatchObject({ code: 'AUTH', retryable: false });
      expect(error.message).toContain('unusable token response');
      expect(error.message).toContain('access_token');
    } finally {
      await fake.close();
    }
  });

  test('a token type other than Bearer is refused', async () => {
    const fake = await startServer();
    fake.route('POST', '/token', json(200, { access_token: 'mac-token-123', token_type: 'mac', expires_in: 60 }));
    try {
      const error = await fx.authError(fx.connector({ tokenUrl: `${fake.url}/token` }).get('/me').send());
      expect(error).toMatchObject({ code: 'AUTH', retryable: false });
      expect(error.message).toContain('token_type');
    } finally {
      await fake.close();
    }
  });

  test('temporarily_unavailable is retryable', async () => {
    fx.oauth.failWith('unavailable');
    const error = await fx.authError(fx.connector().get('/me').send());
    expect(error).toMatchObject({ retryable: true, details: { status: 503, oauthError: 'temporarily_unavailable', oauthErrorDescription: 'try again later' } });
  });

  test('a stalled token endpoint times out after tokenTimeout', async () => {
    fx.oauth.failWith('stall');
    const error = await fx.authError(fx.connector({ tokenTimeout: 100 }).get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: true, details: { timeoutMs: 100 } });
    expect(error.message).toContain('no answer within 100 ms');
  });

  test('the call timeout stops waiting for a stalled token request', async () => {
    fx.oauth.failWith('stall');
    const error = await fx.authError(fx.connector({ tokenTimeout: 5_000 }).get('/me').timeout(100).send());
    expect(error.code).toBe('TIMEOUT');
  });

  test('a failing token store is a retryable AUTH error that says so', async () => {
    const tokenStore = { get: () => Promise.reject(new Error('redis: connection lost')), set: async () => undefined, delete: async () => undefined };
    const error = await fx.authError(fx.connector({ tokenStore }).get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: true, message: 'connector "users": the OAuth token store failed to read the token: redis: connection lost' });
    expect(fx.oauth.tokenRequests).toHaveLength(0);
  });

  test('an unreachable token server is a retryable AUTH error naming the cause', async () => {
    const url = fx.oauth.tokenUrl;
    await fx.oauth.close();
    const error = await fx.authError(fx.connector({ tokenUrl: url }).get('/me').send());
    expect(error).toMatchObject({ code: 'AUTH', retryable: true, details: { systemCode: 'ECONNREFUSED' } });
  });
});

describe('configuration', () => {
  test.each([
    [{ clientSecret: undefined }, 'auth.clientAuth: the client_credentials grant needs client authentication'],
    [{ clientAuth: 'client_secret_post', clientSecret: undefined }, 'auth.clientSecret: is required by clientAuth "client_secret_post"'],
    [{ clientAuth: 'private_key_jwt' }, 'auth.privateKey: is required by clientAuth "private_key_jwt"'],
    [{ clientId: undefined }, 'auth.clientId: is required'],
    [{ grant: 'refresh_token' }, 'auth.refreshToken: is required by the refresh_token grant'],
    [{ grant: 'jwt_bearer' }, 'auth.assertion: is required by the jwt_bearer grant'],
    [{ tokenUrl: 'http://auth.example/token' }, 'auth.tokenUrl: must use https'],
    [{ extraParams: { grant_type: 'password' } }, 'auth.extraParams: "grant_type" is set by the connector'],
    [{ unauthorizedStatuses: [500] }, 'auth.unauthorizedStatuses[0]: must be a 4xx status'],
  ])('%j is a CONFIG error: %s', (auth, message) => {
    expect(() => fx.connector(auth)).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining(String(message)) }));
  });

  test('an http tokenUrl off loopback is allowed only with allowInsecureHttp', () => {
    expect(() => fx.connector({ tokenUrl: 'http://auth.internal/token', allowInsecureHttp: true })).not.toThrow();
  });

  test('toJSON hides the client secret but shows the token URL', () => {
    const json = JSON.stringify(fx.connector());
    fx.leaks.text('toJSON', json);
    expect(json).toContain(fx.oauth.tokenUrl);
    expect(json).toContain('"clientSecret":"[REDACTED]"');
  });
});
