import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { HEALTH_PROTO } from '../../../src/protocols/grpc/builtin-protos.js';
import { HEALTH_PROTO_FILE, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

describe('healthCheck()', () => {
  test('SERVING is healthy, with the gRPC status and latency', async () => {
    const { api, server } = await fixture.start({}, { healthProto: HEALTH_PROTO_FILE });
    const health = await api.healthCheck();
    expect(health).toMatchObject({ ok: true, status: 0 });
    expect(health.latencyMs).toBeGreaterThan(0);
    expect(server.calls.at(-1)).toMatchObject({ path: '/grpc.health.v1.Health/Check', request: { service: '' } });
  });

  test('asks about the configured service; NOT_SERVING is unhealthy and says so', async () => {
    const { api, server } = await fixture.start({ service: 'test.echo.v1.Echo' }, { healthProto: HEALTH_PROTO_FILE });
    server.setHealth('test.echo.v1.Echo', 'NOT_SERVING');
    const health = await api.healthCheck();
    expect(health).toMatchObject({ ok: false, status: 0, error: { code: 'GRPC' } });
    expect(health.error?.message).toContain('service "test.echo.v1.Echo" reports NOT_SERVING');
    expect(server.calls.at(-1)?.request).toEqual({ service: 'test.echo.v1.Echo' });
    server.setHealth('test.echo.v1.Echo', 'SERVING');
    expect((await api.healthCheck()).ok).toBe(true);
  });

  test('healthCheck.service wins; a service the health server does not know is NOT_FOUND, unhealthy', async () => {
    const { api } = await fixture.start({ service: 'test.echo.v1.Echo', healthCheck: { service: 'billing' } }, { healthProto: HEALTH_PROTO_FILE });
    expect(await api.healthCheck()).toMatchObject({ ok: false, status: 5, error: { code: 'GRPC' } });
  });

  test('a server without the health service (UNIMPLEMENTED) is judged by its channel: up means healthy', async () => {
    const { api, server } = await fixture.start();
    expect(await api.healthCheck()).toMatchObject({ ok: true });
    expect(server.calls).toHaveLength(0);
  });

  test('a server that is down is unhealthy, and healthCheck() never throws', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 1 } });
    await api.connect();
    await server.close();
    const health = await api.healthCheck();
    expect(health).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
  });

  test('health.proto shipped in protos/ defines exactly what the library carries', async () => {
    const shipped = protobuf.parse(await readFile(HEALTH_PROTO_FILE, 'utf8'), { keepCase: true }).root.toJSON();
    const builtin = protobuf.parse(HEALTH_PROTO, { keepCase: true }).root.toJSON();
    expect(builtin).toEqual(shipped);
  });
});
