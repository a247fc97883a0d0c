import { describe, expect, it } from 'vitest';
import { createRestConnector } from '../../../src/index.js';
import { echo, generateTestCertificate, json, redirect, redirectChain, startServer } from '../../support/index.js';
import { rejectionOf, useRestFixture } from './helpers.js';

const fixture = useRestFixture();

describe('REST redirects', () => {
  it('follows a chain up to redirect.max and reports the final URL', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/chain/*', redirectChain(3, '/done'));
    server.route('GET', '/done', json(200, { done: true }));
    const res = await api.get('/chain/3').send();
    expect(res.body).toEqual({ done: true });
    expect(res.url).toBe(`${server.url}/done`);
    expect(server.requests).toHaveLength(4);
  });

  it('stops with REDIRECT beyond redirect.max', async () => {
    const { server, api } = await fixture.start({ redirect: { max: 2 } });
    server.route('GET', '/chain/*', redirectChain(5, '/done'));
    const error = await rejectionOf(api.get('/chain/5').send());
    expect(error.code).toBe('REDIRECT');
    expect(error.message).toMatch(/more than 2 redirects/);
  });

  it('returns the 3xx response when redirect.follow is false', async () => {
    const { server, api } = await fixture.start({ redirect: { follow: false } });
    server.route('GET', '/old', redirect(301, '/new'));
    const res = await api.get('/old').send();
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/new');
  });

  it('turns a POST into a GET on 303 and keeps method and body on 307', async () => {
    const { server, api } = await fixture.start();
    server.route('POST', '/see-other', redirect(303, '/target'));
    server.route('POST', '/temporary', redirect(307, '/target'));
    server.route('*', '/target', echo());
    const seeOther = await api.post('/see-other').json({ a: 1 }).send();
    expect(seeOther.body).toMatchObject({ method: 'GET', body: '' });
    const temporary = await api.post('/temporary').json({ a: 1 }).send();
    expect(temporary.body).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it('drops Authorization, cookies and sensitive headers on a cross-origin hop, keeps them on the same origin', async () => {
    const { server: other } = await fixture.start();
    other.route('GET', '/landing', echo());
    const { server, api } = await fixture.start({ headers: { Authorization: 'Bearer abc-secret', Cookie: 'sid=xyz', 'X-Trace': 't1' } });
    api.redactor.add({ headers: ['x-api-key'] });
    server.route('GET', '/same', redirect(302, '/echo'));
    server.route('GET', '/echo', echo());
    server.route('GET', '/away', redirect(302, `${other.url}/landing`));
    const same = await api.get('/same').headers({ 'X-Api-Key': 'k-123' }).send();
    expect((same.body as { headers: Record<string, string> }).headers).toMatchObject({ authorization: 'Bearer abc-secret', 'x-api-key': 'k-123' });
    const away = await api.get('/away').headers({ 'X-Api-Key': 'k-123' }).send();
    const headers = (away.body as { headers: Record<string, string> }).headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['x-trace']).toBe('t1');
  });

  it('also drops a header named like a credential that nobody registered, on a cross-origin hop only', async () => {
    const { server: other } = await fixture.start();
    other.route('GET', '/landing', echo());
    const { server, api } = await fixture.start({ headers: { 'X-Auth-Token': 'literal-t0ken', 'X-Team': 'data' } });
    server.route('GET', '/away', redirect(302, `${other.url}/landing`));
    server.route('GET', '/same', redirect(302, '/echo'));
    server.route('GET', '/echo', echo());
    const same = (await api.get('/same').send()).body as { headers: Record<string, string> };
    expect(same.headers['x-auth-token']).toBe('literal-t0ken');
    const away = (await api.get('/away').send()).body as { headers: Record<string, string> };
    expect(away.headers['x-auth-token']).toBeUndefined();
    expect(away.headers['x-team']).toBe('data');
  });

  it('refuses a redirect from https to http', async () => {
    const cert = await generateTestCertificate();
    const plain = await startServer();
    try {
      const { server, api } = await fixture.start({ tls: { ca: cert.cert } }, { https: cert });
      server.route('GET', '/downgrade', redirect(302, `${plain.url}/x`));
      const error = await rejectionOf(api.get('/downgrade').send());
      expect(error.code).toBe('REDIRECT');
      expect(error.message).toMatch(/https to http/);
      expect(plain.requests).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });

  it('refuses to replay a streamed body on a 307', async () => {
    const { server, api } = await fixture.start();
    server.route('POST', '/upload', redirect(307, '/elsewhere'));
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('x');
    }
    const error = await rejectionOf(api.post('/upload').body(chunks()).send());
    expect(error.code).toBe('REDIRECT');
    expect(error.message).toMatch(/sent only once/);
  });

  it('emits a redirect event naming the hop', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/a', redirect(301, '/b'));
    server.route('GET', '/b', json(200, {}));
    const hops: unknown[] = [];
    using _sub = api.on('redirect', (e) => hops.push(e));
    await api.get('/a').send();
    expect(hops).toEqual([{ connector: 'test_api', from: `${server.url}/a`, to: `${server.url}/b`, status: 301, crossOrigin: false }]);
  });
});

describe('HTTPS', () => {
  it('verifies certificates by default: an untrusted certificate is a TLS error', async () => {
    const cert = await generateTestCertificate();
    const { server, api } = await fixture.start({}, { https: cert });
    server.route('GET', '/x', json(200, {}));
    const error = await rejectionOf(api.get('/x').send());
    expect(error.code).toBe('TLS');
    expect(error.message).toMatch(/tls\.ca/);
    expect(server.requests).toHaveLength(0);
  });

  it('trusts a private CA given in tls.ca', async () => {
    const cert = await generateTestCertificate();
    const { server, api } = await fixture.start({ tls: { ca: cert.cert } }, { https: cert });
    server.route('GET', '/x', json(200, { secure: true }));
    expect((await api.get('/x').send()).body).toEqual({ secure: true });
  });

  it('accepts an allowed origin for absolute endpoints', async () => {
    const { server: cdn } = await fixture.start();
    cdn.route('GET', '/file', json(200, { from: 'cdn' }));
    const { api } = await fixture.start({ allowedOrigins: [cdn.url] });
    expect((await api.get(`${cdn.url}/file`).send()).body).toEqual({ from: 'cdn' });
    await using other = createRestConnector({ name: 'strict', baseUrl: 'http://127.0.0.1:9' });
    const error = await rejectionOf(other.get(`${cdn.url}/file`).send());
    expect(error.code).toBe('UNSAFE_ENDPOINT');
  });
});
