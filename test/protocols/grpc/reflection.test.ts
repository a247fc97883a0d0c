import { describe, expect, test } from 'vitest';
import { REFLECTION_PROTO_FILE, fixture as fixturePath, rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

const reflective = { reflectionProto: REFLECTION_PROTO_FILE };

describe('server reflection instead of protoFiles', () => {
  test('learns the services from the server and calls them with plain objects, maps and enums intact', async () => {
    const server = await fixture.server(reflective);
    const api = fixture.connector({ name: 'reflected', target: server.target, tls: false, reflection: true });
    const res = await api.execute<{ text: string; counts: Record<string, number>; color: string }>({ method: 'Say', request: { text: 'hi', counts: { a: 1 }, color: 'GREEN' } });
    expect(res.body).toMatchObject({ text: 'hi', counts: { a: 1 }, color: 'GREEN' });
    expect(server.calls.map((c) => c.path)).toEqual(['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/test.echo.v1.Echo/Say']);
    expect(server.calls[1]?.request).toMatchObject({ counts: { a: 1 }, color: 'GREEN' });
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 2 } });
    const seen: number[] = [];
    for await (const reply of stream) seen.push(reply.n);
    expect(seen).toEqual([1, 2]);
  });

  test('the reflection request carries the auth metadata', async () => {
    const server = await fixture.server(reflective);
    const api = fixture.connector({ name: 'reflected', target: server.target, tls: false, reflection: true, auth: { type: 'bearer', token: 'refl-t0ken' } });
    await api.connect();
    expect(server.calls[0]).toMatchObject({ method: 'ServerReflectionInfo', metadata: { authorization: 'Bearer refl-t0ken' } });
  });

  test('falls back to v1alpha for servers that only speak the older version', async () => {
    const server = await fixture.server({ reflectionProto: fixturePath('reflection/reflection-v1alpha.proto') });
    const api = fixture.connector({ name: 'older', target: server.target, tls: false, reflection: true });
    expect((await api.execute({ method: 'Lookup', request: { key: 'v1alpha' } })).body).toMatchObject({ text: 'found v1alpha' });
  });

  test('requests are still checked against the reflected message types', async () => {
    const server = await fixture.server(reflective);
    const api = fixture.connector({ name: 'reflected', target: server.target, tls: false, reflection: true });
    const error = await rejectionOf(api.execute({ method: 'Say', request: { txet: 'x' } }));
    expect(error).toMatchObject({ code: 'PROTO', details: { field: 'request.txet' } });
    expect(error.message).toContain('did you mean "text"?');
    expect(server.calls.filter((c) => c.method === 'Say')).toHaveLength(0);
  });

  test('idempotency_level travels with the descriptors', async () => {
    const server = await fixture.server(reflective);
    const api = fixture.connector({ name: 'reflected', target: server.target, tls: false, reflection: true });
    expect(await api.describeMethod('Lookup')).toMatchObject({ idempotent: true, kind: 'unary', service: 'test.echo.v1.Echo' });
    expect(await api.describeMethod('Chat')).toMatchObject({ idempotent: false, kind: 'bidi' });
  });

  test('a service the server does not offer is a PROTO error at connect listing what it offers', async () => {
    const server = await fixture.server(reflective);
    const api = fixture.connector({ name: 'reflected', target: server.target, tls: false, reflection: true, service: 'test.echo.v1.Ekko' });
    const error = await rejectionOf(api.connect());
    expect(error).toMatchObject({ code: 'PROTO' });
    expect(error.message).toContain('service "test.echo.v1.Ekko" is not offered by');
    expect(error.message).toContain('test.echo.v1.Echo');
  });

  test('a server without reflection is a PROTO error that says to use protoFiles', async () => {
    const server = await fixture.server();
    const api = fixture.connector({ name: 'blind', target: server.target, tls: false, reflection: true });
    const error = await rejectionOf(api.connect());
    expect(error).toMatchObject({ code: 'PROTO' });
    expect(error.message).toContain('does not offer server reflection; give the connector protoFiles instead');
    expect(api.state).toBe('idle');
  });

  test('several services: short names resolve when unique, and need the service when not', async () => {
    const server = await fixture.server({ ...reflective, protoFiles: [fixturePath('echo.proto'), fixturePath('admin.proto')] });
    const api = fixture.connector({ name: 'both', target: server.target, tls: false, reflection: true });
    server.handle('Flush', (_call: unknown, callback: (e: null, v: unknown) => void) => callback(null, { note: 'flushed' }));
    expect((await api.execute({ method: 'Flush' })).body).toEqual({ note: 'flushed' });
    const error = await rejectionOf(api.execute({ method: 'Say' }));
    expect(error).toMatchObject({ code: 'PROTO' });
    expect(error.message).toContain('method "Say" exists in several services (test.admin.v1.Admin/Say, test.echo.v1.Echo/Say)');
    expect((await api.execute({ method: 'test.echo.v1.Echo/Say', request: { text: 'ok' } })).ok).toBe(true);
  });
});
