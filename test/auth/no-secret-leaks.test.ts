import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exportPKCS8, generateKeyPair } from 'jose';
import { TypedEvents } from '../../src/core/events.js';
import type { ConnectorEvents } from '../../src/core/connector-events.js';
import { createRestConnector, type RestConnector } from '../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../src/protocols/rest/config.js';
import { echo, redirect, startServer, status, type ScriptedServer } from '../support/index.js';
import { startJwtApiServer, type JwtApiServer } from '../support/jwt-api-server.js';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server.js';
import { createLeakWatch } from './support/leak-watch.js';

const S = {
  apiKey: 'leak-api-key-4c1f9b2e',
  token: 'leak-bearer-token-8a7d3c5f',
  password: 'leak-password-2e9b6a10',
  hs: 'leak-hs256-secret-0123456789abcdef-0123456789',
  client: 'leak-client-secret-7f3e2d1c',
  session: 'leak-session-5b8c0e4a',
  env: 'leak-env-secret-93d1a6f0',
};

describe('the watch itself', () => {
  test('finds a secret in an event, an error, a console line and a warning', () => {
    const watch = createLeakWatch();
    try {
      watch.secret('planted-secret-1');
      const events = new TypedEvents<ConnectorEvents>();
      watch.watch(events);
      events.emit('retry', { connector: 'a', attempt: 2, delayMs: 1, reason: 'planted-secret-1' });
      watch.error(new Error('outer', { cause: new Error('inner planted-secret-1') }));
      console.warn('log line planted-secret-1');
      process.emitWarning('warning planted-secret-1');
      expect(watch.leaks().map((l) => l.source)).toEqual(['event retry', 'error (inspect)', 'console.warn', 'process.emitWarning']);
    } finally {
      watch.restore();
    }
  });
});

describe('every auth path, successes and failures', () => {
  const leaks = createLeakWatch();
  leaks.secret(...Object.values(S));
  let server: ScriptedServer;
  let elsewhere: ScriptedServer;
  let oauth: OAuthServer;
  let api: JwtApiServer;
  let pem: string;
  const connectors: RestConnector[] = [];

  beforeAll(async () => {
    [server, elsewhere, oauth] = await Promise.all([startServer(), startServer(), startOAuthServer({ clients: [{ id: 'etl', secret: S.client }] })]);
    api = await startJwtApiServer({ oauth });
    server.route('GET', '/echo', echo()).route('GET', '/denied', status(401)).route('GET', '/away', redirect(302, `${elsewhere.url}/x`));
    elsewhere.route('GET', '/x', echo());
    pem = await exportPKCS8((await generateKeyPair('ES256', { extractable: true })).privateKey);
    leaks.secret(pem);
  });
  afterAll(async () => {
    await Promise.all(connectors.map((c) => c.disconnect()));
    await Promise.all([server.close(), elsewhere.close(), oauth.close(), api.close()]);
    vi.unstubAllEnvs();
    leaks.restore();
  });

  function connector(auth: RestConnectorOptions['auth'], baseUrl = server.url): RestConnector {
    const c = createRestConnector({ name: 'leaky', baseUrl, auth, retry: { maxAttempts: 1 } });
    leaks.watch(c);
    connectors.push(c);
    leaks.text('toJSON', JSON.stringify(c));
    return c;
  }

  async function exercise(c: RestConnector, endpoints: string[]): Promise<void> {
    for (const endpoint of endpoints) {
      try {
        const res = await c.get(endpoint).send();
        leaks.text('response url', res.url);
        leaks.text('response headers', JSON.stringify(res.headers));
        if (!res.ok) res.throwIfNotOk();
      } catch (error) {
        leaks.error(error);
      }
    }
    const health = await c.healthCheck();
    leaks.text('healthCheck', JSON.stringify(health));
  }

  test('no secret appears in any event, error, log line, toJSON or response URL', async () => {
    vi.stubEnv('LEAK_TOKEN', S.env);
    const paths = ['/echo', '/denied', '/away'];
    await exercise(connector({ type: 'api_key', apiKey: S.apiKey }), paths);
    await exercise(connector({ type: 'api_key', apiKey: S.apiKey, in: 'query' }), paths);
    await exercise(connector({ type: 'bearer', token: S.token }), paths);
    await exercise(connector({ type: 'bearer', token: '${env:LEAK_TOKEN}' }), paths);
    await exercise(connector({ type: 'bearer', token: async () => S.token }), paths);
    await exercise(connector({ type: 'basic', username: 'etl', password: S.password }), paths);
    await exercise(connector({ type: 'jwt', secret: S.hs }), paths);
    await exercise(connector({ type: 'jwt', privateKey: pem }), paths);
    await exercise(connector({ type: 'custom', getHeaders: () => ({ 'X-Session': S.session }), refresh: () => undefined }), paths);
    const oauth2 = { type: 'oauth2', tokenUrl: oauth.tokenUrl, clientId: 'etl', clientSecret: S.client } as const;
    await exercise(connector(oauth2, api.url), ['/me']);
    api.rejectAll = true;
    await exercise(connector(oauth2, api.url), ['/me']);
    api.rejectAll = false;
    for (const mode of ['invalid_client', 'http_500', 'unavailable'] as const) {
      oauth.failWith(mode);
      await exercise(connector(oauth2, api.url), ['/me']);
    }
    oauth.failWith('stall');
    await exercise(connector({ ...oauth2, tokenTimeout: 50 }, api.url), ['/me']);
    oauth.failWith(undefined);
    await exercise(connector({ ...oauth2, clientSecret: 'leak-wrong-secret-1' }, api.url), ['/me']);
    leaks.secret('leak-wrong-secret-1');
    await exercise(connector({ ...oauth2, grant: 'refresh_token', refreshToken: 'leak-refresh-token-1' }, api.url), ['/me']);
    leaks.secret('leak-refresh-token-1');
    await exercise(connector({ type: 'bearer', token: '${env:LEAK_MISSING}' }), ['/echo']);
    await exercise(connector({ type: 'jwt', privateKey: pem.replace('PRIVATE', 'PUBLIC') }), ['/echo']);
    leaks.secret(pem.replace('PRIVATE', 'PUBLIC'), ...oauth.issued);

    expect(leaks.observed.filter((o) => o.source.startsWith('event')).length).toBeGreaterThan(50);
    expect(leaks.observed.some((o) => o.source === 'error (inspect)')).toBe(true);
    expect(leaks.leaks()).toEqual([]);
  });
});
