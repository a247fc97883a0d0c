import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { echo, json } from '../../support/index.js';
import { useRestFixture } from './helpers.js';

const fixture = useRestFixture();

describe('REST methods, query and bodies', () => {
  it('sends all seven methods', async () => {
    const { server, api } = await fixture.start();
    server.route('*', '/thing', echo());
    for (const method of ['get', 'post', 'put', 'patch', 'delete', 'options'] as const) {
      const res = await api[method]('/thing').send();
      expect(res.status).toBe(200);
      expect((res.body as { method: string }).method).toBe(method.toUpperCase());
    }
    const head = await api.head('/thing').send();
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
  });

  it('encodes query parameters, repeating keys for arrays and omitting undefined', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/search', json(200, {}));
    await api.get('/search').query({ q: 'a b&c=d', tag: ['x', 'y/z'], page: 2, missing: undefined, none: null, flag: false }).send();
    expect(server.requests[0]?.url).toBe('/search?q=a%20b%26c%3Dd&tag=x&tag=y%2Fz&page=2&flag=false');
  });

  it('URL-encodes {name} path parameters as one segment', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/users/*', json(200, {}));
    await api.get('/users/{id}/posts', { params: { id: '../admin?x=1#y' } }).send();
    expect(server.requests[0]?.url).toBe('/users/..%2Fadmin%3Fx%3D1%23y/posts');
  });

  it('sends JSON, text, form, bytes and streamed bodies with matching content types', async () => {
    const { server, api } = await fixture.start();
    server.route('POST', '/in', echo());
    await api.post('/in').json({ a: [1, 'é'] }).send();
    await api.post('/in').body('plain text').send();
    await api.post('/in').form({ a: '1 2', b: ['x', 'y'] }).send();
    await api.post('/in').body(new Uint8Array([0, 1, 2, 255])).send();
    await api.post('/in').body(Readable.from([Buffer.from('chunk1-'), Buffer.from('chunk2')])).send();
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('it-');
      yield Buffer.from('erable');
    }
    await api.post('/in').body(gen()).send();
    const seen = server.requests.map((r) => [r.headers['content-type'], r.body.toString('latin1')]);
    expect(seen).toEqual([
      ['application/json', Buffer.from('{"a":[1,"é"]}').toString('latin1')],
      ['text/plain; charset=utf-8', 'plain text'],
      ['application/x-www-form-urlencoded', 'a=1+2&b=x&b=y'],
      ['application/octet-stream', '\u0000\u0001\u0002\u00ff'],
      ['application/octet-stream', 'chunk1-chunk2'],
      ['application/octet-stream', 'it-erable'],
    ]);
    expect(server.requests[4]?.headers['transfer-encoding']).toBe('chunked');
  });

  it('merges default headers with per-request headers, the request winning', async () => {
    const { server, api } = await fixture.start({ headers: { 'X-Team': 'data', 'X-Env': 'test' } });
    server.route('GET', '/h', json(200, {}));
    await api.get('/h').headers({ 'x-env': 'prod' }).send();
    expect(server.requests[0]?.headers['x-team']).toBe('data');
    expect(server.requests[0]?.headers['x-env']).toBe('prod');
    expect(server.requests[0]?.headers['user-agent']).toBe('ia-connectors');
  });

  it('keeps the base URL path as a prefix', async () => {
    const { server } = await fixture.start();
    const { createRestConnector } = await import('../../../src/index.js');
    await using api = createRestConnector({ name: 'v1', baseUrl: `${server.url}/api/v1/` });
    server.route('GET', '/api/v1/users', json(200, []));
    const res = await api.get('/users').send();
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${server.url}/api/v1/users`);
  });
});
