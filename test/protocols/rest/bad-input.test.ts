import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRestConnector, type ApiRequest } from '../../../src/index.js';
import { json } from '../../support/index.js';
import { rejectionOf, useRestFixture } from './helpers.js';

const fixture = useRestFixture();

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function configError(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a CONFIG error');
}

describe('bad configuration is a CONFIG error naming the field and the fix', () => {
  it('invalid base URL', () => {
    const error = configError(() => createRestConnector({ name: 'a', baseUrl: 'api.example' }));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/baseUrl: "api\.example" is not an absolute URL; write it as "https:\/\/api\.example\.com"/);
  });

  it('unsupported scheme and credentials in the base URL', () => {
    expect(configError(() => createRestConnector({ name: 'a', baseUrl: 'ftp://x' })).message).toMatch(/baseUrl: scheme "ftp:"/);
    expect(configError(() => createRestConnector({ name: 'a', baseUrl: 'http://u:p@x' })).message).toMatch(/use the auth setting/);
  });

  it('negative or zero timeouts', () => {
    const error = configError(() => createRestConnector({ name: 'a', baseUrl: 'http://127.0.0.1', timeout: { connect: 0, total: -5 } }));
    expect(error.message).toMatch(/timeout\.connect: must be a positive number of milliseconds/);
    expect(error.message).toMatch(/timeout\.total: must be a positive number of milliseconds/);
    expect(error.message).toMatch(/2 problems/);
  });

  it('unknown fields are named', () => {
    const error = configError(() => createRestConnector({ name: 'a', baseUrl: 'http://127.0.0.1', retires: 3 } as never));
    expect(error.message).toMatch(/unknown field "retires"/);
  });
});

describe('bad requests fail before anything is sent', () => {
  it('unknown method', async () => {
    const { server, api } = await fixture.start();
    const error = await rejectionOf(api.execute({ method: 'FETCH', endpoint: '/' } as unknown as ApiRequest));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(/unknown method "FETCH"; use one of GET, POST/);
    expect(server.requests).toHaveLength(0);
  });

  it('zero or negative per-call timeout', async () => {
    const { api } = await fixture.start();
    expect(() => api.get('/').timeout(0)).toThrow(/timeout: must be a positive number of milliseconds/);
    const error = await rejectionOf(api.execute({ method: 'GET', endpoint: '/' }, { timeout: -1 }));
    expect(error.code).toBe('INVALID_REQUEST');
  });

  it.each([
    ['//evil.host/x', /outside the base URL/],
    ['http://other.host/', /outside the base URL/],
    ['../admin', /outside the base path/],
    ['/a/../../admin', /outside the base path/],
    ['%2e%2e/admin', /outside the base path/],
    ['/\\evil.host/x', /outside the base URL/],
  ])('an endpoint escaping the base URL: %s', async (endpoint, message) => {
    const { server } = await fixture.start();
    await using api = createRestConnector({ name: 'scoped', baseUrl: `${server.url}/api/` });
    const error = await rejectionOf(api.get(endpoint).send());
    expect(error.code).toBe('UNSAFE_ENDPOINT');
    expect(error.message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it('path parameters that would change the path, or are missing', async () => {
    const { api } = await fixture.start();
    expect((await rejectionOf(api.get('/u/{id}', { params: { id: '..' } }).send())).message).toMatch(/may not be ".."/);
    expect((await rejectionOf(api.get('/u/{id}').send())).message).toMatch(/needs a value for \{id\}/);
  });

  it('unserialisable bodies: BigInt and cycles', async () => {
    const { server, api } = await fixture.start();
    const big = await rejectionOf(api.post('/x').json({ n: 10n }).send());
    expect(big.code).toBe('SERIALIZATION');
    expect(big.message).toMatch(/BigInt/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cycle = await rejectionOf(api.post('/x').json(cyclic).send());
    expect(cycle.code).toBe('SERIALIZATION');
    expect(cycle.message).toMatch(/circular/);
    expect(server.requests).toHaveLength(0);
  });

  it('a body on GET and two bodies at once', async () => {
    const { api } = await fixture.start();
    expect((await rejectionOf(api.execute({ method: 'GET', endpoint: '/', json: {} }))).message).toMatch(/cannot carry a body/);
    expect((await rejectionOf(api.execute({ method: 'POST', endpoint: '/', json: {}, body: 'x' }))).message).toMatch(/only one of json, form and body/);
  });

  it('header values with line breaks', async () => {
    const { api } = await fixture.start();
    const error = await rejectionOf(api.get('/').headers({ 'x-a': 'b\r\nInjected: 1' }).send());
    expect(error.code).toBe('INVALID_REQUEST');
  });
});

describe('unreachable hosts', () => {
  it('connection refused names the host and what to check', async () => {
    const port = await closedPort();
    await using api = createRestConnector({ name: 'down', baseUrl: `http://127.0.0.1:${port}` });
    const error = await rejectionOf(api.get('/').send());
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/check that the service is running/);
    expect(error.retryable).toBe(true);
  });

  it('a DNS failure names the host', async () => {
    // The resolver is replaced so that no query leaves the machine; the error takes the real socket path.
    const lookup = (host: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void): void => {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }));
    };
    await using api = createRestConnector({ name: 'typo', baseUrl: 'http://no-such-host.invalid' }, { lookup: lookup as never });
    const error = await rejectionOf(api.get('/').send());
    expect(error.code).toBe('DNS');
    expect(error.message).toMatch(/"no-such-host\.invalid" could not be resolved/);
  });
});

describe('lifecycle', () => {
  it('connects lazily on first use, refuses calls after disconnect, and reconnects on connect()', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/x', json(200, {}));
    const states: string[] = [];
    using _sub = api.on('stateChange', (e) => states.push(e.to));
    expect(api.state).toBe('idle');
    await api.get('/x').send();
    expect(api.state).toBe('connected');
    await api.disconnect();
    await api.disconnect();
    const error = await rejectionOf(api.get('/x').send());
    expect(error.code).toBe('NOT_CONNECTED');
    await api.connect();
    expect((await api.get('/x').send()).status).toBe(200);
    expect(states).toEqual(['connecting', 'connected', 'disconnecting', 'closed', 'connecting', 'connected']);
  });

  it('concurrent first calls share one connect', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/x', json(200, {}));
    const states: string[] = [];
    using _sub = api.on('stateChange', (e) => states.push(e.to));
    await Promise.all([api.get('/x').send(), api.get('/x').send(), api.connect()]);
    expect(states).toEqual(['connecting', 'connected']);
  });
});
