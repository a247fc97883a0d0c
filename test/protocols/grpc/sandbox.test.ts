import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SANDBOX_CATALOG_PROTO, startGrpcService, type GrpcService } from '../../../src/sandbox/grpc-service.js';
import { ECHO_PROTO, INCLUDE, rejectionOf, useGrpcFixture } from './helpers.js';

const CATALOG_FILE = fileURLToPath(new URL('../../../protos/sandbox/catalog.proto', import.meta.url));
const fixture = useGrpcFixture();
let service: GrpcService;

beforeAll(async () => {
  service = await startGrpcService();
});

afterAll(async () => {
  await service.close();
  await service.close();
});

describe('the sandbox gRPC service', () => {
  test('serves the catalog through reflection: unary, server stream, health', async () => {
    const catalog = fixture.connector({ name: 'catalog_grpc', target: service.target, tls: false, reflection: true, service: 'sandbox.catalog.v1.Catalog' });
    const product = await catalog.execute<{ name: string; price_cents: string }>({ method: 'GetProduct', request: { sku: 'lamp-01' } });
    expect(product.body).toMatchObject({ name: 'Desk lamp', price_cents: '3900' });
    const names: string[] = [];
    for await (const p of await catalog.serverStream<{ name: string }>({ method: 'ListProducts', request: { region: 'eu', limit: 1 } })) names.push(p.name);
    expect(names).toEqual(['Desk lamp']);
    expect(await catalog.healthCheck()).toMatchObject({ ok: true, status: 0 });
    expect(await catalog.describeMethod('ListProducts')).toMatchObject({ kind: 'serverStream', idempotent: true });
  });

  test('an unknown SKU is NOT_FOUND with the known ones in the message', async () => {
    const catalog = fixture.connector({ name: 'catalog_grpc', target: service.target, tls: false, reflection: true });
    const error = await rejectionOf(catalog.execute({ method: 'GetProduct', request: { sku: 'nope' } }));
    expect(error).toMatchObject({ code: 'GRPC', grpcCode: 5 });
    expect(error.message).toContain('known SKUs: lamp-01');
  });

  test('protos/sandbox/catalog.proto is the definition the sandbox serves, and works as protoFiles', async () => {
    const shipped = protobuf.parse(await readFile(CATALOG_FILE, 'utf8'), { keepCase: true }).root.toJSON();
    expect(protobuf.parse(SANDBOX_CATALOG_PROTO, { keepCase: true }).root.toJSON()).toEqual(shipped);
    const catalog = fixture.connector({ name: 'catalog_file', target: service.target, tls: false, protoFiles: [CATALOG_FILE] });
    expect((await catalog.execute({ method: 'GetProduct', request: { sku: 'wok-05' } })).body).toMatchObject({ region: 'apac' });
  });

  test('a fixed port can be asked for', async () => {
    const probe = await startGrpcService();
    const port = probe.port;
    await probe.close();
    const fixed = await startGrpcService({ port });
    expect(fixed.target).toBe(`127.0.0.1:${port}`);
    await fixed.close();
  });
});

describe('a generated client instead of protoFiles', () => {
  test('calls through the client class from grpc.loadPackageDefinition', async () => {
    const server = await fixture.server();
    const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(ECHO_PROTO, { keepCase: true, includeDirs: [INCLUDE], longs: String, enums: String, defaults: true }));
    const Echo = (loaded['test'] as grpc.GrpcObject)['echo'] as grpc.GrpcObject;
    const client = (Echo['v1'] as grpc.GrpcObject)['Echo'] as grpc.ServiceClientConstructor;
    const api = fixture.connector({ name: 'generated', target: server.target, tls: false }, { client });
    expect((await api.execute<{ text: string }>({ method: 'Say', request: { text: 'gen' } })).body.text).toBe('gen');
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 2 } });
    const seen: number[] = [];
    for await (const m of stream) seen.push(m.n);
    expect(seen).toEqual([1, 2]);
    expect(await api.describeMethod('Lookup')).toMatchObject({ path: '/test.echo.v1.Echo/Lookup', idempotent: true, requestType: undefined });
  });
});
