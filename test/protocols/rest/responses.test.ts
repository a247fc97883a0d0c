import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { huge, json, rawJson, status, text } from '../../support/index.js';
import { rejectionOf, useRestFixture } from './helpers.js';

const fixture = useRestFixture();

describe('REST responses', () => {
  it('parses by content type: JSON (also +json), text, and bytes', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/json', json(200, { a: 1 }));
    server.route('GET', '/problem', (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/problem+json' }).end('{"title":"bad"}');
    });
    server.route('GET', '/text', text(200, 'héllo'));
    server.route('GET', '/bin', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([137, 80, 78, 71]));
    });
    expect((await api.get('/json').send()).body).toEqual({ a: 1 });
    expect((await api.get('/problem').send()).body).toEqual({ title: 'bad' });
    expect((await api.get('/text').send()).body).toBe('héllo');
    const bin = await api.get('/bin').send();
    expect(Buffer.isBuffer(bin.body)).toBe(true);
    expect([...(bin.body as Buffer)]).toEqual([137, 80, 78, 71]);
  });

  it('honours an explicit responseType', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/json', json(200, { a: 1 }));
    expect((await api.get('/json').responseType('text').send()).body).toBe('{"a":1}');
    expect(Buffer.isBuffer((await api.get('/json').responseType('bytes').send()).body)).toBe(true);
  });

  it('returns the body as a stream on request, unread', async () => {
    const { server, api } = await fixture.start({ maxResponseBytes: 1024 });
    server.route('GET', '/big', huge(300_000));
    const res = await api.get('/big').responseType('stream').send();
    expect(res.body).toBeInstanceOf(Readable);
    let size = 0;
    for await (const chunk of res.body as Readable) size += (chunk as Buffer).length;
    expect(size).toBe(300_000);
  });

  it('reports an HTTP error status as a response with ok: false, and throwIfNotOk throws HTTP_STATUS', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/missing', json(404, { error: 'nope' }));
    const res = await api.get('/missing').send();
    expect(res.ok).toBe(false);
    expect(res.status).toBe(404);
    const error = await rejectionOf(Promise.resolve().then(() => res.throwIfNotOk()));
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.details?.status).toBe(404);
    expect(error.details?.body).toEqual({ error: 'nope' });
  });

  it('redacts known secrets that the server echoes back in an error body', async () => {
    const token = 'tok-echoed-back-9f8e7d';
    const { server, api } = await fixture.start({ auth: { type: 'bearer', token } });
    server.route('GET', '/me', (req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `token ${String(req.headers.authorization)} is revoked` }));
    });
    const res = await api.get('/me').send();
    expect(JSON.stringify(res.body)).toContain(token);
    const error = await rejectionOf(Promise.resolve().then(() => res.throwIfNotOk()));
    expect(JSON.stringify(error.details)).not.toContain(token);
    expect(JSON.stringify(error.details)).toContain('[REDACTED]');
  });

  it('throws HTTP_STATUS for non-2xx when throwHttpErrors is set', async () => {
    const { server, api } = await fixture.start({ throwHttpErrors: true });
    server.route('GET', '/fail', status(500));
    const error = await rejectionOf(api.get('/fail').send());
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.message).toMatch(/answered 500/);
  });

  it('fills duration and attempts', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/x', json(200, {}));
    const res = await api.get('/x').send();
    expect(res.attempts).toBe(1);
    expect(res.durationMs).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(res))).toMatchObject({ status: 200, ok: true, attempts: 1 });
  });
});

describe('response size and validity', () => {
  it('rejects a body over maxResponseBytes from its Content-Length before reading', async () => {
    const { server, api } = await fixture.start({ maxResponseBytes: 1000 });
    server.route('GET', '/big', huge(5_000_000, { contentLength: true }));
    const error = await rejectionOf(api.get('/big').send());
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toMatch(/maxResponseBytes \(1000\)/);
  });

  it('enforces maxResponseBytes while reading a body without Content-Length, releasing the socket', async () => {
    const { server, api } = await fixture.start({ maxResponseBytes: 100_000 });
    let socket: Socket | undefined;
    const body = huge(50_000_000, { contentLength: false });
    server.route('GET', '/big', (req, res, ctx) => {
      socket = req.socket;
      return body(req, res, ctx);
    });
    const error = await rejectionOf(api.get('/big').send());
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    await expect.poll(() => socket?.destroyed).toBe(true);
  });

  it('reports invalid JSON with a short snippet and no header values', async () => {
    const { server, api } = await fixture.start({ headers: { 'x-secret-header': 'header-value-123' } });
    server.route('GET', '/bad', rawJson(200, `{"items": [1, 2,${' '.repeat(200)}oops`));
    const error = await rejectionOf(api.get('/bad').send());
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('{\\"items\\": [1, 2,');
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toContain('header-value-123');
  });
});
