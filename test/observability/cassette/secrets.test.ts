import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import type { ApiResponse } from '../../../src/core/types.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import { cassetteLayer } from '../../../src/observability/cassette/layer.js';
import { replayConfig } from '../../../src/observability/cassette/replay-config.js';
import { echo, startServer, type ScriptedServer } from '../../support/index.js';
import { startOAuthServer, type OAuthServer } from '../../support/oauth-server.js';
import { filesIn, sendJson, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
afterEach(() => void vi.unstubAllEnvs());

const BEARER = 'bearer-tok-5b1e9d2c';
const HEADER_KEY = 'hdr-key-7a3f0e41';
const QUERY_KEY = 'qry-key-c92d6b08';
const BASIC_PASSWORD = 'basic-pw-41e8a7f3';
const CLIENT_SECRET = 'client-secret-0d6c2b95';
const QUERY_TOKEN = 'access-tok-in-query-83b1';
const BODY_PASSWORD = 'password-in-body-6f2e';

function configs(api: ScriptedServer, oauth: OAuthServer): RestConnectorOptions[] {
  const base = api.url;
  return [
    { name: 'bearer', baseUrl: base, auth: { type: 'bearer', token: '${env:CASSETTE_TEST_BEARER}' } },
    { name: 'header_key', baseUrl: base, auth: { type: 'api_key', apiKey: HEADER_KEY, name: 'X-Team-Key' } },
    { name: 'query_key', baseUrl: base, auth: { type: 'api_key', apiKey: QUERY_KEY, in: 'query', name: 'key' } },
    { name: 'basic', baseUrl: base, auth: { type: 'basic', username: 'ada', password: BASIC_PASSWORD } },
    { name: 'oauth', baseUrl: base, auth: { type: 'oauth2', tokenUrl: oauth.tokenUrl, clientId: 'etl', clientSecret: '${env:CASSETTE_TEST_CLIENT_SECRET}' } },
    { name: 'token_client', baseUrl: oauth.url },
    { name: 'plain', baseUrl: base },
  ];
}

/** The same calls in both modes; `between` runs after the first OAuth call (the token is revoked there when recording). */
async function calls(c: Record<string, RestConnector>, between: () => void): Promise<ApiResponse[]> {
  const out: ApiResponse[] = [];
  for (const name of ['bearer', 'header_key', 'query_key', 'basic']) {
    out.push(await c[name]!.get('/echo').send());
    out.push(await c[name]!.post('/echo').json({ note: 'hello' }).send());
  }
  out.push(await c['oauth']!.get('/me').send());
  between();
  out.push(await c['oauth']!.get('/me').send());
  out.push(await c['token_client']!.post('/token').form({ grant_type: 'client_credentials', client_id: 'etl', client_secret: CLIENT_SECRET }).send());
  out.push(await c['plain']!.get('/echo').query({ access_token: QUERY_TOKEN, page: 1 }).send());
  out.push(await c['plain']!.post('/echo').json({ user: 'ada', password: BODY_PASSWORD }).send());
  return out;
}

async function session(mode: CassetteMode, dir: string, options: RestConnectorOptions[], between: () => void): Promise<ApiResponse[]> {
  const cassette = new Cassette({ dir, mode });
  const connectors: Record<string, RestConnector> = {};
  for (const config of options) {
    const connector: RestConnector = createRestConnector(config, { layers: [cassetteLayer('rest', { cassette, connector: config, redactor: () => connector.redactor })] });
    connectors[config.name] = connector;
  }
  try {
    return await calls(connectors, between);
  } finally {
    await Promise.all(Object.values(connectors).map((c) => c.disconnect()));
  }
}

describe('secrets in cassettes', () => {
  it('stores no credential, and a replay needs neither secrets nor the token server', async () => {
    vi.stubEnv('CASSETTE_TEST_BEARER', BEARER);
    vi.stubEnv('CASSETTE_TEST_CLIENT_SECRET', CLIENT_SECRET);
    const dir = await tempDir();
    const oauth = await startOAuthServer({ clients: [{ id: 'etl', secret: CLIENT_SECRET }] });
    const api = await startServer();
    api.route('*', '/*', echo());
    api.route('GET', '/me', (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !oauth.verify(token)) return sendJson(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      sendJson(res, 200, { ok: true, seen: req.headers.authorization });
    });
    const options = configs(api, oauth);

    const live = await session('record', dir, options, () => oauth.revokeAccessTokens());
    const secrets = [BEARER, HEADER_KEY, QUERY_KEY, BASIC_PASSWORD, Buffer.from(`ada:${BASIC_PASSWORD}`).toString('base64'), CLIENT_SECRET, QUERY_TOKEN, BODY_PASSWORD, ...oauth.issued];
    // Every secret went through the recorder, in a request or handed back in a response (the basic password only base64-encoded).
    const wire = JSON.stringify([live.map((r) => r.body), oauth.tokenRequests.map((r) => r.params)]);
    expect(secrets.filter((s) => s !== BASIC_PASSWORD && !wire.includes(s))).toEqual([]);
    expect(oauth.issued.length).toBeGreaterThanOrEqual(3);
    await Promise.all([api.close(), oauth.close()]);

    const files = await filesIn(dir);
    expect(Object.keys(files).sort()).toEqual(options.map((o) => `${o.name}.cassette.json`).sort());
    const written = Object.values(files).join('\n');
    const leaked = secrets.flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => written.includes(s));
    expect(leaked).toEqual([]);
    // The 401 that made the auth layer renew its token is kept for reading but marked superseded.
    const oauthFile = JSON.parse(files['oauth.cassette.json'] ?? '{}') as { interactions: { response?: { status: number }; superseded?: true }[] };
    expect(oauthFile.interactions.map((i) => [i.response?.status, i.superseded ?? false])).toEqual([[200, false], [401, true], [200, false]]);

    vi.unstubAllEnvs();
    const replayed = await session('replay', dir, options.map(replayConfig), () => undefined);
    expect(replayed.map((r) => r.status)).toEqual(live.map((r) => r.status));
    expect(replayed.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(replayed.find((r) => (r.body as { access_token?: string }).access_token)?.body).toMatchObject({ access_token: '[REDACTED]', token_type: expect.stringMatching(/bearer/i) });
    expect(JSON.stringify(replayed.map((r) => r.body))).not.toMatch(new RegExp(secrets.join('|')));
  });

  it('replayConfig drops auth, the shared store and every header holding a secret or a secret reference', () => {
    const config = {
      name: 'users',
      baseUrl: 'http://127.0.0.1:8080',
      auth: { type: 'oauth2', tokenUrl: 'http://127.0.0.1:9/token', clientId: 'etl', clientSecret: '${env:SECRET}' },
      headers: { 'x-tenant': '${env:TENANT}', 'x-api-key': 'literal-key', authorization: 'Bearer x', 'x-trace': 'on' },
      retry: { maxAttempts: 4 },
      store: { type: 'redis', url: '${env:REDIS_URL}' },
    };
    expect(replayConfig(config)).toEqual({ name: 'users', baseUrl: 'http://127.0.0.1:8080', auth: { type: 'none' }, headers: { 'x-trace': 'on' }, retry: { maxAttempts: 4 } });
    expect(config.auth.type).toBe('oauth2');
  });
});
