import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createRestConnector, type ApiResponse } from '../../../src/index.js';
import { echo, json, status } from '../../support/index.js';
import { rejectionOf, useRestFixture } from './helpers.js';

const fixture = useRestFixture();

describe('fluent builder', () => {
  it('is immutable: requests built from one starting point never share state', async () => {
    const { server, api } = await fixture.start();
    server.route('*', '/items/*', echo());
    const base = api.get('/items/{id}', { params: { id: 1 } }).headers({ 'x-a': '1' }).query({ page: 1 });
    const withB = base.headers({ 'x-b': '2' }).query({ page: 2 });
    const withC = base.headers({ 'x-c': '3' });
    await Promise.all([withB.send(), withC.send(), base.send()]);
    const byHeader = (name: string) => server.requests.filter((r) => r.headers[name] !== undefined).map((r) => r.url);
    expect(byHeader('x-a')).toHaveLength(3);
    expect(byHeader('x-b')).toEqual(['/items/1?page=2']);
    expect(byHeader('x-c')).toEqual(['/items/1?page=1']);
    expect(base.toRequest().headers).toEqual({ 'x-a': '1' });
  });

  it('validates and types the body with a zod schema', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/user', json(200, { id: 7, name: 'Ada' }));
    const res = await api.get('/user').schema(z.object({ id: z.number(), name: z.string() })).send();
    expectTypeOf(res).toEqualTypeOf<ApiResponse<{ id: number; name: string }>>();
    expect(res.body.name).toBe('Ada');
  });

  it('a schema mismatch is SCHEMA_MISMATCH naming the path', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/user', json(200, { id: 'seven' }));
    const error = await rejectionOf(api.get('/user').schema(z.object({ id: z.number(), name: z.string() })).send());
    expect(error.code).toBe('SCHEMA_MISMATCH');
    expect(error.message).toMatch(/id: .*expected number/);
    expect(error.message).toMatch(/name: /);
  });

  it('a non-2xx response with a schema throws HTTP_STATUS instead of mistyping the body', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/user', json(404, { error: 'gone' }));
    const error = await rejectionOf(api.get('/user').schema(z.object({ id: z.number() })).send());
    expect(error.code).toBe('HTTP_STATUS');
  });

  it('json, form and body replace each other', () => {
    const api = createRestConnector({ name: 'b', baseUrl: 'http://127.0.0.1:1' });
    const req = api.post('/x').json({ a: 1 }).form({ b: '2' }).toRequest();
    expect(req.json).toBeUndefined();
    expect(req.form).toEqual({ b: '2' });
  });
});

describe('inspection', () => {
  it('util.inspect shows the redacted config, never a secret', async () => {
    const { inspect } = await import('node:util');
    const api = createRestConnector({ name: 'i', baseUrl: 'http://127.0.0.1:1', auth: { type: 'bearer', token: 'tok-inspect-secret-42' } });
    const shown = inspect(api, { depth: 10 });
    expect(shown).not.toContain('tok-inspect-secret-42');
    expect(shown).toContain('[REDACTED]');
  });
});

describe('healthCheck', () => {
  it('reports ok with status and latency from the configured path', async () => {
    const { server, api } = await fixture.start({ healthCheck: { path: '/health' } });
    server.route('GET', '/health', json(200, { up: true }));
    const health = await api.healthCheck();
    expect(health).toMatchObject({ ok: true, status: 200 });
    expect(health.latencyMs).toBeGreaterThan(0);
    expect(server.requests[0]?.url).toBe('/health');
  });

  it('reports a 5xx as not ok without throwing', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/', status(503));
    expect(await api.healthCheck()).toMatchObject({ ok: false, status: 503 });
  });

  it('reports an unreachable service as not ok with the error code, never throwing', async () => {
    await using api = createRestConnector({ name: 'down', baseUrl: 'http://127.0.0.1:9' });
    const health = await api.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error?.code).toBe('CONNECTION_REFUSED');
  });
});
