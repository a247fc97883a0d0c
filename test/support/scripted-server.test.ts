import { get } from 'node:http';
import { Agent, Client, request } from 'undici';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  delay,
  echo,
  generateTestCertificate,
  huge,
  json,
  neverRespond,
  rawJson,
  redirectChain,
  reset,
  resetAfterHeaders,
  slowBody,
  startServer,
  status,
  text,
  type ScriptedServer,
} from './index.js';

let server: ScriptedServer;

beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

describe('routing', () => {
  test('answers a route and records the request with its query and headers', async () => {
    server.route('GET', '/users', json(200, [{ id: 1 }], { 'x-total': '1' }));
    const res = await request(`${server.url}/users?page=2`, { headers: { 'x-trace': 'abc' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-total']).toBe('1');
    expect(await res.body.json()).toEqual([{ id: 1 }]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/users?page=2', headers: { 'x-trace': 'abc' } });
    expect(server.requests[0]?.at).toBeGreaterThan(0);
  });

  test('reads the whole body before the behaviour and records it', async () => {
    server.route('POST', '/echo', echo());
    const res = await request(`${server.url}/echo`, { method: 'POST', body: 'héllo', headers: { 'content-type': 'text/plain' } });
    expect(await res.body.json()).toMatchObject({ method: 'POST', url: '/echo', body: 'héllo' });
    expect(server.requests[0]?.body.toString('utf8')).toBe('héllo');
  });

  test('plays a sequence in order and repeats its last behaviour', async () => {
    server.route('GET', '/flaky', [status(503, { 'retry-after': '1' }), text(500, 'boom'), json(200, { ok: true })]);
    const codes: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await request(`${server.url}/flaky`);
      await res.body.dump();
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([503, 500, 200, 200]);
  });

  test('matches a trailing * as a prefix, lets a later route win and matches the method', async () => {
    server.route('GET', '/items/*', json(200, 'old')).route('GET', '/items/*', json(200, 'new'));
    expect(await (await request(`${server.url}/items/42`)).body.json()).toBe('new');
    const wrongMethod = await request(`${server.url}/items/42`, { method: 'DELETE' });
    expect(wrongMethod.statusCode).toBe(404);
    await wrongMethod.body.dump();
  });

  test('answers 404 JSON for an unknown route and 500 when a behaviour throws', async () => {
    const missing = await request(`${server.url}/nope`);
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toEqual({ error: 'no route' });
    server.route('GET', '/throws', () => {
      throw new Error('scripted failure');
    });
    const failed = await request(`${server.url}/throws`);
    expect(failed.statusCode).toBe(500);
    expect(await failed.body.json()).toMatchObject({ message: 'Error: scripted failure' });
  });

  test('sends invalid JSON verbatim and follows a redirect chain to its end', async () => {
    server.route('GET', '/bad', rawJson(200, '{"a":'));
    const bad = await request(`${server.url}/bad`);
    expect(bad.headers['content-type']).toBe('application/json');
    expect(await bad.body.text()).toBe('{"a":');

    server.route('GET', '/chain/*', redirectChain(3, '/done'));
    const seen: string[] = [];
    for (let path = '/chain/start'; path !== '/done'; ) {
      const res = await request(`${server.url}${path}`);
      await res.body.dump();
      path = String(res.headers.location);
      seen.push(path);
    }
    expect(seen).toEqual(['/chain/2', '/chain/1', '/done']);
  });

  test('keeps the connection alive across requests and reset() clears state', async () => {
    server.route('GET', '/a', status(204));
    // One Client = one socket; the global pool may open a second for back-to-back requests.
    const client = new Client(server.url);
    for (let i = 0; i < 2; i += 1) await (await client.request({ method: 'GET', path: '/a' })).body.dump();
    await client.close();
    expect(server.requests.map((r) => r.socketId)).toEqual([1, 1]);
    expect(server.totalSockets).toBe(1);
    server.reset();
    expect(server.requests).toHaveLength(0);
    expect((await request(`${server.url}/a`)).statusCode).toBe(404);
  });
});

describe('timing', () => {
  test('delay and the recorded time follow fake timers', async () => {
    const fakeNow = Date.parse('2030-01-01T00:00:00Z');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: fakeNow });
    server.route('GET', '/slow', delay(60_000, text(200, 'late')));
    // node:http rather than undici: undici schedules its own timers with the global setTimeout.
    let body: string | undefined;
    get(`${server.url}/slow`, (res) => res.setEncoding('utf8').on('data', (chunk: string) => (body = chunk))).on(
      'error',
      (error) => (body = String(error)),
    );
    // waitUntil advances the fake clock by its interval on every poll.
    await vi.waitUntil(() => server.requests.length === 1, { interval: 5 });
    expect(server.requests[0]?.at).toBeGreaterThanOrEqual(fakeNow);
    expect(server.requests[0]?.at).toBeLessThan(fakeNow + 1_000);
    await vi.advanceTimersByTimeAsync(59_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitUntil(() => body !== undefined, { interval: 5 });
    expect(body).toBe('late');
  });

  test('slowBody arrives as separate chunks with no Content-Length', async () => {
    server.route('GET', '/stream', slowBody(['one ', 'two ', 'three'], 40));
    const res = await request(`${server.url}/stream`);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const chunks: string[] = [];
    for await (const chunk of res.body) chunks.push(String(chunk));
    expect(chunks).toEqual(['one ', 'two ', 'three']);
  });

  test('close() resolves quickly with a stalled request and fails the client', async () => {
    server.route('GET', '/hang', neverRespond());
    // Settled into a value at once: the rejection lands while close() is awaited.
    const outcome = request(`${server.url}/hang`).then(() => 'answered', (error: unknown) => error);
    await vi.waitUntil(() => server.requests.length === 1, { interval: 5 });
    const started = performance.now();
    await server.close();
    await server.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await outcome).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(server.openSockets).toBe(0);
  });
});

describe('faults and sizes', () => {
  test('reset() drops the connection without a response', async () => {
    server.route('GET', '/reset', reset());
    await expect(request(`${server.url}/reset`)).rejects.toMatchObject({
      code: expect.stringMatching(/^(ECONNRESET|UND_ERR_SOCKET)$/),
    });
  });

  test('resetAfterHeaders() fails while the body is read', async () => {
    server.route('GET', '/cut', resetAfterHeaders());
    const res = await request(`${server.url}/cut`);
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  });

  test.each([true, false])('huge() streams every byte (contentLength: %s)', async (contentLength) => {
    const bytes = 1024 * 1024 + 7;
    server.route('GET', '/big', huge(bytes, { contentLength, contentType: 'text/plain' }));
    const res = await request(`${server.url}/big`);
    expect(res.headers['content-length']).toBe(contentLength ? String(bytes) : undefined);
    const body = Buffer.from(await res.body.arrayBuffer());
    expect(body.length).toBe(bytes);
    expect(body.every((byte) => byte === 0x61)).toBe(true);
  });
});

describe('https', () => {
  test('serves TLS with a generated certificate trusted as ca, and is refused without it', async () => {
    const { key, cert } = await generateTestCertificate();
    const secure = await startServer({ https: { key, cert } });
    const agent = new Agent({ connect: { ca: cert } });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      secure.route('GET', '/hello', json(200, { secure: true }));
      const res = await request(`${secure.url}/hello`, { dispatcher: agent });
      expect(await res.body.json()).toEqual({ secure: true });
      expect(secure.requests[0]?.socketId).toBe(1);
      const untrusted = new Agent();
      await expect(request(`${secure.url}/hello`, { dispatcher: untrusted })).rejects.toMatchObject({
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      await untrusted.close();
    } finally {
      await agent.close();
      await secure.close();
    }
  });
});
