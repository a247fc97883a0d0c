import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRestConnector, type RestConnector } from '../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../src/protocols/rest/config.js';
import { echo, redirect, startServer, type ScriptedServer } from '../support/index.js';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server.js';
import { createLeakWatch } from './support/leak-watch.js';

const SECRETS = {
  apiKey: 'ak-redirect-91c2f0a4',
  token: 'tk-redirect-2b7e6d13',
  password: 'pw-redirect-5f8a0c9e',
  jwt: 'jwt-secret-for-redirect-tests-0123456789abcdef',
  client: 'cs-redirect-7d3e1b20',
  session: 'session-redirect-0e4c9a77',
};
const leaks = createLeakWatch();
leaks.secret(...Object.values(SECRETS));

let origin: ScriptedServer;
let other: ScriptedServer;
let oauth: OAuthServer;
const connectors: RestConnector[] = [];

beforeEach(async () => {
  [origin, other, oauth] = await Promise.all([startServer(), startServer(), startOAuthServer({ clients: [{ id: 'etl', secret: SECRETS.client }] })]);
  origin.route('GET', '/away', redirect(302, `${other.url}/landing?from=origin`));
  origin.route('GET', '/stay', redirect(302, '/landing'));
  origin.route('GET', '/landing', echo());
  other.route('GET', '/landing', echo());
});
afterEach(async () => {
  leaks.secret(...oauth.issued);
  await Promise.all(connectors.splice(0).map((c) => c.disconnect()));
  await Promise.all([origin.close(), other.close(), oauth.close()]);
});
afterAll(() => {
  leaks.restore();
  expect(leaks.leaks()).toEqual([]);
});

// Each strategy with the header (or query parameter) that carries its credential.
const strategies: [string, () => RestConnectorOptions['auth'], { header?: string; query?: string }][] = [
  ['api_key header', () => ({ type: 'api_key', apiKey: SECRETS.apiKey, name: 'X-Maps-Key' }), { header: 'x-maps-key' }],
  ['api_key query', () => ({ type: 'api_key', apiKey: SECRETS.apiKey, in: 'query', name: 'key' }), { query: 'key' }],
  ['bearer', () => ({ type: 'bearer', token: SECRETS.token }), { header: 'authorization' }],
  ['basic', () => ({ type: 'basic', username: 'etl', password: SECRETS.password }), { header: 'authorization' }],
  ['jwt', () => ({ type: 'jwt', secret: SECRETS.jwt, header: 'X-Service-Token' }), { header: 'x-service-token' }],
  ['oauth2', () => ({ type: 'oauth2', tokenUrl: oauth.tokenUrl, clientId: 'etl', clientSecret: SECRETS.client }), { header: 'authorization' }],
  ['custom', () => ({ type: 'custom', getHeaders: () => ({ 'X-Session': SECRETS.session }) }), { header: 'x-session' }],
];

interface Echoed {
  url: string;
  headers: Record<string, string>;
}

function connector(auth: RestConnectorOptions['auth']): RestConnector {
  const c = createRestConnector({ name: 'redirects', baseUrl: origin.url, auth, retry: { maxAttempts: 1 } });
  leaks.watch(c);
  connectors.push(c);
  return c;
}

describe.each(strategies)('%s', (_name, auth, carrier) => {
  test('the credential is dropped when a redirect leaves the origin', async () => {
    const crossings: boolean[] = [];
    const c = connector(auth());
    c.on('redirect', (e) => crossings.push(e.crossOrigin));
    const res = await c.get('/away').send();
    expect(res.status).toBe(200);
    expect(crossings).toEqual([true]);
    const first = origin.requests[0];
    const landed = other.requests[0];
    if (carrier.header) {
      expect(first?.headers[carrier.header]).toBeDefined(); // it was sent to the origin...
      expect(landed?.headers[carrier.header]).toBeUndefined(); // ...and not to the other host
    } else {
      expect(first?.url).toContain(`${carrier.query}=`);
      expect(landed?.url).toBe('/landing?from=origin');
    }
    leaks.text('response url', res.url);
  });

  test('the credential is kept on a same-origin redirect', async () => {
    const res = await connector(auth()).get('/stay').send();
    expect(res.status).toBe(200);
    if (carrier.header) expect((res.body as Echoed).headers[carrier.header]).toBeDefined();
  });
});
