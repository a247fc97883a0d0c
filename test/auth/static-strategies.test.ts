import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRestConnector, type RestConnector } from '../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../src/protocols/rest/config.js';
import { echo, startServer, status, type ScriptedServer } from '../support/index.js';
import { createLeakWatch } from './support/leak-watch.js';

const API_KEY = 'ak-77c1e0d2-static-api-key';
const TOKEN = 'tk-0b4f9e51-static-bearer-token';
const PASSWORD = 'pässwörd-ü€-9f2c';
const leaks = createLeakWatch();
leaks.secret(API_KEY, TOKEN, PASSWORD);

let server: ScriptedServer;
const connectors: RestConnector[] = [];

beforeEach(async () => {
  server = await startServer();
  server.route('*', '/*', echo());
});
afterEach(async () => {
  await Promise.all(connectors.splice(0).map((c) => c.disconnect()));
  await server.close();
});
afterAll(() => {
  leaks.restore();
  expect(leaks.leaks()).toEqual([]);
});

function connector(auth: RestConnectorOptions['auth'], extra: Partial<RestConnectorOptions> = {}): RestConnector {
  const c = createRestConnector({ name: 'static', baseUrl: server.url, auth, retry: { maxAttempts: 1 }, ...extra });
  leaks.watch(c);
  connectors.push(c);
  return c;
}

interface Echoed {
  url: string;
  headers: Record<string, string>;
}

async function echoed(c: RestConnector, endpoint = '/x', headers?: Record<string, string>): Promise<Echoed> {
  const res = await c.get(endpoint).headers(headers ?? {}).send();
  leaks.text('response url', res.url);
  return (res.body as Echoed) as Echoed;
}

describe('api_key', () => {
  test('sends the key in X-API-Key by default', async () => {
    const { headers } = await echoed(connector({ type: 'api_key', apiKey: API_KEY }));
    expect(headers['x-api-key']).toBe(API_KEY);
  });

  test('sends the key in a named header, replacing one the caller set', async () => {
    const c = connector({ type: 'api_key', apiKey: API_KEY, name: 'X-Maps-Key' });
    const { headers } = await echoed(c, '/x', { 'x-maps-key': 'caller-value' });
    expect(headers['x-maps-key']).toBe(API_KEY);
  });

  test('sends the key as a query parameter and hides it in the response URL and events', async () => {
    const c = connector({ type: 'api_key', apiKey: API_KEY, in: 'query', name: 'key' });
    const urls: string[] = [];
    c.on('request', (e) => urls.push(e.url));
    const res = await c.get('/search').query({ q: 'a b' }).send();
    expect((res.body as Echoed).url).toBe(`/search?q=a%20b&key=${API_KEY}`);
    expect(res.url).toBe(`${server.url}/search?q=a+b&key=%5BREDACTED%5D`);
    expect(urls).toEqual([res.url]);
  });

  test('defaults the query parameter name to api_key', async () => {
    const { url } = await echoed(connector({ type: 'api_key', apiKey: API_KEY, in: 'query' }));
    expect(url).toBe(`/x?api_key=${API_KEY}`);
  });

  test('refuses an invalid header name at parse', () => {
    expect(() => connector({ type: 'api_key', apiKey: API_KEY, name: 'X Key' })).toThrow(/auth\.name: is not a valid header name/);
  });
});

describe('bearer', () => {
  test('sends a static token', async () => {
    const { headers } = await echoed(connector({ type: 'bearer', token: TOKEN }));
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test('asks a provider per request', async () => {
    let n = 0;
    const c = connector({ type: 'bearer', token: async () => `provided-token-${++n}` });
    expect((await echoed(c)).headers.authorization).toBe('Bearer provided-token-1');
    expect((await echoed(c)).headers.authorization).toBe('Bearer provided-token-2');
  });

  test('after a 401 asks the provider again and repeats once, only for a new token', async () => {
    server.route('GET', '/guarded', status(401));
    let n = 0;
    const rotating = connector({ type: 'bearer', token: () => `rotating-token-${++n}` });
    expect((await rotating.get('/guarded').send()).status).toBe(401);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer rotating-token-1', 'Bearer rotating-token-2']);

    server.requests.length = 0;
    const fixed = connector({ type: 'bearer', token: () => 'same-token-each-time' });
    expect((await fixed.get('/guarded').send()).status).toBe(401);
    expect(server.requests).toHaveLength(1);
  });

  test('a provider that fails or returns nothing is an AUTH error', async () => {
    const failing = connector({ type: 'bearer', token: () => Promise.reject(new Error('vault sealed')) });
    await expect(leaks.rejection(failing.get('/x').send())).resolves.toMatchObject({ code: 'AUTH', message: expect.stringContaining('vault sealed') });
    const empty = connector({ type: 'bearer', token: () => '' });
    await expect(leaks.rejection(empty.get('/x').send())).resolves.toMatchObject({ code: 'AUTH', message: expect.stringContaining('returned an empty string') });
  });

  test('a token with a line break is refused before it reaches the wire', async () => {
    const c = connector({ type: 'bearer', token: () => 'abc\r\nx-injected: 1' });
    await expect(leaks.rejection(c.get('/x').send())).resolves.toMatchObject({ code: 'AUTH', message: expect.stringContaining('line break') });
    expect(server.requests).toHaveLength(0);
  });
});

describe('basic', () => {
  test('encodes user and password as UTF-8 (RFC 7617)', async () => {
    const { headers } = await echoed(connector({ type: 'basic', username: 'jürgen', password: PASSWORD }));
    expect(headers.authorization).toBe(`Basic ${Buffer.from(`jürgen:${PASSWORD}`, 'utf8').toString('base64')}`);
  });

  test('refuses a user name with ":" at parse', () => {
    expect(() => connector({ type: 'basic', username: 'a:b', password: PASSWORD })).toThrow(/auth\.username: must not contain ":"/);
  });
});

describe('custom', () => {
  test('sends the headers a sync or async function returns', async () => {
    const sync = connector({ type: 'custom', getHeaders: () => ({ 'X-Session': 'session-sync-1' }) });
    expect((await echoed(sync)).headers['x-session']).toBe('session-sync-1');
    const later = connector({ type: 'custom', getHeaders: async () => ({ 'X-Session': 'session-async-1' }) });
    expect((await echoed(later)).headers['x-session']).toBe('session-async-1');
  });

  test('calls refresh() after a 401 and repeats the call once', async () => {
    server.route('GET', '/guarded', [status(401), echo()]);
    let session = 'session-old-1';
    const c = connector({
      type: 'custom',
      getHeaders: () => ({ 'X-Session': session }),
      refresh: async () => {
        session = 'session-new-2';
      },
    });
    expect((await c.get('/guarded').send()).status).toBe(200);
    expect(server.requests.map((r) => r.headers['x-session'])).toEqual(['session-old-1', 'session-new-2']);
  });

  test('without refresh(), a 401 is returned as is', async () => {
    server.route('GET', '/guarded', status(401));
    const c = connector({ type: 'custom', getHeaders: () => ({ 'X-Session': 'session-a' }) });
    expect((await c.get('/guarded').send()).status).toBe(401);
    expect(server.requests).toHaveLength(1);
  });

  test.each([
    [() => null, 'returned null'],
    [() => ({ 'X-N': 1 }), 'returned a number for header "X-N"'],
    [() => ({ 'bad name': 'v' }), 'invalid header name "bad name"'],
    [() => { throw new Error('signer offline'); }, 'custom auth getHeaders() failed: signer offline'],
  ])('a bad getHeaders() is an AUTH error (%#)', async (getHeaders, message) => {
    const c = connector({ type: 'custom', getHeaders: getHeaders as () => Record<string, string> });
    await expect(leaks.rejection(c.get('/x').send())).resolves.toMatchObject({ code: 'AUTH', message: expect.stringContaining(message) });
  });

  test('getHeaders must be a function', () => {
    expect(() => connector({ type: 'custom', getHeaders: 'x' } as never)).toThrow(/auth\.getHeaders: must be a function/);
  });
});

describe('the auth config', () => {
  test('an unknown type lists the known ones', () => {
    expect(() => connector({ type: 'kerberos' } as never)).toThrow(/auth\.type: must be one of none, api_key, bearer, basic, oauth2, jwt, custom/);
  });

  test('a non-object is explained', () => {
    expect(() => connector('bearer' as never)).toThrow(/auth: must be an object such as/);
  });

  test('none sends no credentials', async () => {
    const { headers } = await echoed(connector({ type: 'none' }));
    expect(headers.authorization).toBeUndefined();
  });

  test('toJSON hides literal secrets and keeps references', () => {
    const literal = JSON.stringify(connector({ type: 'basic', username: 'etl', password: PASSWORD }));
    const reference = JSON.stringify(connector({ type: 'bearer', token: '${env:USERS_TOKEN}' }));
    leaks.text('toJSON', literal);
    expect(literal).toContain('"password":"[REDACTED]"');
    expect(reference).toContain('"token":"${env:USERS_TOKEN}"');
  });
});

describe('fixed credentials', () => {
  test('a static scheme leaves the per-call chain: its header reaches every request and beats a request header of the same name', async () => {
    const c = connector({ type: 'bearer', token: TOKEN });
    const first = (await c.get('/a').headers({ Authorization: 'Bearer caller-supplied' }).send()).body as Echoed;
    const second = (await c.post('/b').json({ n: 1 }).send()).body as Echoed;
    expect(first.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(second.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test('after disconnect and connect the fixed header is still sent', async () => {
    const c = connector({ type: 'api_key', apiKey: API_KEY });
    await c.get('/a').send();
    await c.disconnect();
    await c.connect();
    expect(((await c.get('/b').send()).body as Echoed).headers['x-api-key']).toBe(API_KEY);
  });
});
