import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import { cassetteLayer } from '../../../src/observability/cassette/layer.js';
import { replayConfig } from '../../../src/observability/cassette/replay-config.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import type { GrpcConnectorOptions } from '../../../src/protocols/grpc/config.js';
import { createGrpcConnector, type GrpcConnector } from '../../../src/protocols/grpc/connector.js';
import type { GrpcResponse } from '../../../src/protocols/grpc/types.js';
import { startGrpcServer, type GrpcTestServer } from '../../support/grpc-server.js';
import { ECHO_PROTO, INCLUDE, REFLECTION_PROTO_FILE, echoBehaviours } from '../../protocols/grpc/helpers.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
const TOKEN = 'grpc-s3cret-token-4711';

async function echoServer(): Promise<GrpcTestServer> {
  const unavailable = (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback({ code: grpc.status.UNAVAILABLE, details: 'warming up' });
  const found = (call: grpc.ServerUnaryCall<{ key: string }, unknown>, callback: grpc.sendUnaryData<unknown>) =>
    call.request.key === 'missing' ? callback({ code: grpc.status.NOT_FOUND, details: 'no such key' }) : callback(null, { text: `found ${call.request.key}` });
  const server = await startGrpcServer({ protoFiles: [ECHO_PROTO], includeDirs: [INCLUDE], behaviours: echoBehaviours, reflectionProto: REFLECTION_PROTO_FILE });
  // Lookup is idempotent: its first call fails with UNAVAILABLE and the retry gets the answer.
  return server.handle('Lookup', [unavailable, found]);
}

function connector(mode: CassetteMode, dir: string, options: GrpcConnectorOptions): { api: GrpcConnector; cassette: Cassette } {
  const cassette = new Cassette({ dir, mode });
  const own = mode === 'replay' ? replayConfig(options) : options;
  const api: GrpcConnector = createGrpcConnector(own, { layers: [cassetteLayer('grpc', { cassette, connector: own, redactor: () => api.redactor })] });
  return { api, cassette };
}

async function outcome<T>(call: Promise<T>): Promise<unknown> {
  try {
    const value = await call;
    if (typeof value === 'object' && value !== null && 'body' in value) {
      const { body, headers, trailers, method, attempts } = value as unknown as GrpcResponse;
      return { body, headers, trailers, method, attempts };
    }
    return value;
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return { code: error.code, message: error.message, grpcCode: error.grpcCode, retryable: error.retryable };
  }
}

/** Every call of the run: unary with metadata, a retried call, a failing one, a stream read whole and one left early. */
async function session(api: GrpcConnector): Promise<Record<string, unknown>> {
  const say = await outcome(api.execute({ method: 'Say', request: { text: 'hi', times: 2, blob: Buffer.from([1, 2, 255]) }, metadata: { 'x-request-id': 'r-1' } }));
  const lookup = await outcome(api.execute({ method: 'Lookup', request: { key: 'lamp' } }));
  const missing = await outcome(api.execute({ method: 'test.echo.v1.Echo/Lookup', request: { key: 'missing' } }));
  const counted: unknown[] = [];
  const stream = await api.serverStream({ method: 'Count', request: { to: 3 } });
  for await (const reply of stream) counted.push(reply);
  const early: unknown[] = [];
  for await (const reply of await api.serverStream({ method: 'Count', request: { to: 5 } })) if (early.push(reply) === 2) break;
  const kind = (await api.describeMethod('Count')).kind;
  return { say, lookup, missing, counted, streamHeaders: await stream.headers, streamTrailers: await stream.trailers, early, kind };
}

describe('gRPC on cassettes', () => {
  it('replays unary calls, retries, errors and server streams with the server gone and no reflection', async () => {
    const dir = await tempDir();
    const server = await echoServer();
    const options: GrpcConnectorOptions = { name: 'echo', target: server.target, tls: false, reflection: true, auth: { type: 'bearer', token: TOKEN }, retry: { maxAttempts: 3, baseDelay: 1, maxDelay: 2 } };

    const live = connector('record', dir, options);
    const recorded = await session(live.api);
    // Sum is client-streaming: it runs live while recording, and is not stored.
    expect(await outcome(live.api.clientStream({ method: 'Sum', messages: [{ value: 1 }, { value: 2 }] }))).toMatchObject({ body: { total: 3, count: 2 } });
    await live.api.disconnect();
    await server.close();
    expect(recorded).toMatchObject({
      say: { body: { text: 'hihi' }, headers: { 'x-header': 'hello', 'x-echo-request-id': 'r-1' }, trailers: { 'x-trailer': 'done' }, attempts: 1 },
      lookup: { body: { text: 'found lamp' }, attempts: 2 },
      missing: { code: 'GRPC', grpcCode: grpc.status.NOT_FOUND },
      counted: [{ n: 1 }, { n: 2 }, { n: 3 }],
      early: [{ n: 1 }, { n: 2 }],
      kind: 'serverStream',
    });

    // Nothing listens there: a replay that dialled or asked for reflection would fail.
    const replay = connector('replay', dir, { ...options, target: '127.0.0.1:9' });
    expect(await session(replay.api)).toEqual(recorded);
    expect(await outcome(replay.api.clientStream({ method: 'Sum', messages: [{ value: 1 }] }))).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('/test.echo.v1.Echo/Sum is a client-streaming call, and those are not replayed from cassettes'),
    });
    await replay.api.disconnect();

    const text = await readFile(join(dir, 'echo.cassette.json'), 'utf8');
    expect(text).not.toContain(TOKEN);
    const file = JSON.parse(text) as { protocol: string; methods: { path: string; kind: string }[]; interactions: { metadata?: Record<string, unknown>; request: Record<string, unknown> }[] };
    expect(file.protocol).toBe('grpc');
    expect(file.methods).toContainEqual(expect.objectContaining({ path: '/test.echo.v1.Echo/Count', kind: 'serverStream', idempotent: false }));
    expect(file.interactions[0]).toMatchObject({
      request: { kind: 'unary', method: '/test.echo.v1.Echo/Say', message: { blob: { $base64: 'AQL/' }, text: 'hi', times: 2 } },
      metadata: { authorization: '[REDACTED]', 'x-request-id': 'r-1' },
    });
    expect(file.interactions.map((i) => i.request['method'])).not.toContain('/test.echo.v1.Echo/Sum');
  });

  it('names the closest recorded call when a replayed one was not recorded, and stops a stream read further than recorded', async () => {
    const dir = await tempDir();
    const server = await echoServer();
    const options: GrpcConnectorOptions = { name: 'echo', target: server.target, tls: false, protoFiles: [ECHO_PROTO], includeDirs: [INCLUDE] };
    const live = connector('record', dir, options);
    await live.api.execute({ method: 'Say', request: { text: 'hi' } });
    for await (const _ of await live.api.serverStream({ method: 'Count', request: { to: 3 } })) break;
    await live.api.disconnect();
    await server.close();

    const replay = connector('replay', dir, options);
    const miss = await outcome(replay.api.execute({ method: 'Say', request: { text: 'hello' } }));
    expect(miss).toMatchObject({ code: 'CASSETTE_MISS' });
    expect((miss as { message: string }).message).toMatch(
      /^connector "echo": no recorded answer for \/test\.echo\.v1\.Echo\/Say \{"text":"hello"\} in cassette .*echo\.cassette\.json; the closest recorded request is \/test\.echo\.v1\.Echo\/Say \{"text":"hi"\} \(differs in message: text\)/,
    );
    const read: unknown[] = [];
    const further = outcome((async () => {
      for await (const reply of await replay.api.serverStream({ method: 'Count', request: { to: 3 } })) read.push(reply);
    })());
    expect(await further).toMatchObject({ code: 'CASSETTE_MISS', message: expect.stringContaining('stops after 1 message(s), where the recorded caller stopped reading') });
    expect(read).toEqual([{ n: 1 }]);
    await replay.api.disconnect();
  });

  it('replays a stream that failed after its messages with the same status error, and drops credential metadata from a replayed config', async () => {
    const dir = await tempDir();
    const server = await echoServer();
    server.handle('Count', (call: grpc.ServerWritableStream<unknown, unknown>) => {
      call.write({ n: 1 });
      call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: 'quota used up' });
    });
    const options: GrpcConnectorOptions = { name: 'echo', target: server.target, tls: false, protoFiles: [ECHO_PROTO], includeDirs: [INCLUDE], metadata: { 'x-api-key': 'k-123456', 'x-team': 'data' } };
    expect(replayConfig(options).metadata).toEqual({ 'x-team': 'data' });
    const read = async (api: GrpcConnector) => {
      const seen: unknown[] = [];
      const end = await outcome((async () => {
        for await (const reply of await api.serverStream({ method: 'Count', request: { to: 9 } })) seen.push(reply);
      })());
      return { seen, end };
    };
    const live = connector('record', dir, options);
    const recorded = await read(live.api);
    await live.api.disconnect();
    await server.close();
    expect(recorded).toMatchObject({ seen: [{ n: 1 }], end: { code: 'GRPC', grpcCode: grpc.status.RESOURCE_EXHAUSTED } });

    const replay = connector('replay', dir, options);
    expect(await read(replay.api)).toEqual(recorded);
    await replay.api.disconnect();
  });
});
