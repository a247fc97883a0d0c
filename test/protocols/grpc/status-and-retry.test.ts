import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { GRPC_STATUS } from '../../../src/protocols/grpc/status-codes.js';
import type { GrpcBehaviour } from '../../support/grpc-server.js';
import { drive, useFakeClock } from '../../policies/fake-clock.js';
import { rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

afterEach(() => vi.useRealTimers());

const fail =
  (code: number, details = `failed with ${code}`, trailers: Record<string, string> = {}): GrpcBehaviour =>
  (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
    callback({ code, details, metadata });
  };
const ok: GrpcBehaviour = (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, { text: 'ok' });

describe('status mapping', () => {
  test('every non-OK status becomes a GRPC ConnectorError with grpcCode, its name and the server message', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 1 } });
    for (let code = 1; code < GRPC_STATUS.length; code++) {
      server.handle('Say', fail(code, `reason ${code}`, { 'x-debug': `d${code}` }));
      const error = await rejectionOf(api.execute({ method: 'Say' }));
      const name = GRPC_STATUS[code];
      expect(error, name).toMatchObject({
        name: 'ConnectorError',
        code: 'GRPC',
        grpcCode: code,
        retryable: [4, 8, 10, 13, 14].includes(code),
        details: { grpcStatus: name, grpcMessage: `reason ${code}`, method: '/test.echo.v1.Echo/Say', connector: 'echo', trailers: { 'x-debug': `d${code}` } },
      });
      expect(error.message).toContain(`${name} (${code}): reason ${code}`);
    }
  });

  test('nothing listening is CONNECTION_REFUSED with grpcCode 14, retried like any call never sent', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 3, baseDelay: 1, jitter: 'none' } });
    await server.close();
    const retries: string[] = [];
    api.on('retry', (e) => retries.push(e.reason));
    const error = await rejectionOf(api.execute({ method: 'Say' }));
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', grpcCode: 14 });
    expect(retries).toEqual(['CONNECTION_REFUSED', 'CONNECTION_REFUSED']);
  });

  test('a reply over maxReceiveMessageBytes is MESSAGE_TOO_LARGE and not retried', async () => {
    const { api, server } = await fixture.start({ channel: { maxReceiveMessageBytes: 64 } });
    server.handle('Say', (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, { text: 'x'.repeat(1000) }));
    const error = await rejectionOf(api.execute({ method: 'Say' }));
    expect(error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', grpcCode: 8 });
    expect(server.calls).toHaveLength(1);
  });

  test('server messages are redacted when they echo a credential', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 1 }, auth: { type: 'bearer', token: 's3cr3t-t0ken' } });
    server.handle('Say', fail(16, 'token s3cr3t-t0ken is revoked'));
    const error = await rejectionOf(api.execute({ method: 'Say' }));
    expect(JSON.stringify(error)).not.toContain('s3cr3t-t0ken');
    expect(error.message).not.toContain('s3cr3t-t0ken');
  });
});

describe('retry by gRPC conventions', () => {
  test('UNAVAILABLE is retried (any method) and the third attempt succeeds', async () => {
    const { api, server } = await fixture.start({ retry: { jitter: 'none', baseDelay: 100 } });
    server.handle('Say', [fail(14), fail(14), ok]);
    const retries: unknown[] = [];
    api.on('retry', (e) => retries.push([e.attempt, e.delayMs, e.reason]));
    await api.connect();
    useFakeClock();
    const res = await drive(api.execute({ method: 'Say' }));
    expect(res.body).toMatchObject({ text: 'ok' });
    expect(res.attempts).toBe(3);
    expect(server.calls).toHaveLength(3);
    expect(retries).toEqual([
      [2, 100, 'UNAVAILABLE'],
      [3, 200, 'UNAVAILABLE'],
    ]);
  });

  test('RESOURCE_EXHAUSTED waits exactly the grpc-retry-pushback-ms the server asked for', async () => {
    const { api, server } = await fixture.start({ retry: { jitter: 'none', baseDelay: 10 } });
    server.handle('Say', [fail(8, 'quota', { 'grpc-retry-pushback-ms': '2000' }), ok]);
    const retries: unknown[] = [];
    api.on('retry', (e) => retries.push([e.attempt, e.delayMs, e.reason]));
    await api.connect();
    useFakeClock();
    const res = await drive(api.execute({ method: 'Say' }), 10);
    expect(res.attempts).toBe(2);
    expect(retries).toEqual([[2, 2000, 'RESOURCE_EXHAUSTED']]);
    const [first, second] = server.calls.map((c) => c.at);
    expect((second as number) - (first as number)).toBeGreaterThanOrEqual(2000);
    expect((second as number) - (first as number)).toBeLessThan(2100);
  });

  test('a negative pushback means "do not retry"', async () => {
    const { api, server } = await fixture.start();
    server.handle('Say', [fail(8, 'quota', { 'grpc-retry-pushback-ms': '-1' }), ok]);
    expect(await rejectionOf(api.execute({ method: 'Say' }))).toMatchObject({ code: 'GRPC', grpcCode: 8, details: { grpcPushback: '-1' } });
    expect(server.calls).toHaveLength(1);
  });

  test('a pushback above retry.maxRetryAfter fails fast with RETRY_AFTER_TOO_LONG', async () => {
    const { api, server } = await fixture.start({ retry: { maxRetryAfter: 1000 } });
    server.handle('Say', fail(8, 'quota', { 'grpc-retry-pushback-ms': '60000' }));
    expect(await rejectionOf(api.execute({ method: 'Say' }))).toMatchObject({ code: 'RETRY_AFTER_TOO_LONG', details: { retryAfterMs: 60_000 } });
    expect(server.calls).toHaveLength(1);
  });

  test('INTERNAL is not retried for a method that is not idempotent', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 5 } });
    server.handle('Say', [fail(13), ok]);
    expect(await rejectionOf(api.execute({ method: 'Say' }))).toMatchObject({ grpcCode: 13 });
    expect(server.calls).toHaveLength(1);
  });

  test("INTERNAL is retried for a method whose proto says idempotency_level = NO_SIDE_EFFECTS", async () => {
    const { api, server } = await fixture.start({ retry: { jitter: 'none', baseDelay: 10 } });
    server.handle('Lookup', [fail(13), ok]);
    await api.connect();
    useFakeClock();
    expect((await drive(api.execute({ method: 'Lookup' }))).attempts).toBe(2);
    expect(server.calls).toHaveLength(2);
  });

  test('the per-method idempotent option makes a method retryable (and can take it back)', async () => {
    const { api, server } = await fixture.start({ retry: { jitter: 'none', baseDelay: 10 }, methods: { Say: { idempotent: true }, 'test.echo.v1.Echo/Lookup': { idempotent: false } } });
    server.handle('Say', [fail(10), ok]).handle('Lookup', [fail(13), ok]);
    await api.connect();
    useFakeClock();
    expect((await drive(api.execute({ method: 'Say' }))).attempts).toBe(2);
    expect((await rejectionOf(drive(api.execute({ method: 'Lookup' })))).details).toMatchObject({ grpcStatus: 'INTERNAL' });
    expect(await api.describeMethod('Lookup')).toMatchObject({ idempotent: false, kind: 'unary', requestType: 'test.echo.v1.LookupRequest' });
  });

  test('client errors are never retried, even for idempotent methods', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 5 } });
    server.handle('Lookup', fail(3, 'bad key'));
    expect(await rejectionOf(api.execute({ method: 'Lookup' }))).toMatchObject({ grpcCode: 3 });
    expect(server.calls).toHaveLength(1);
  });

  test('a client stream from an async iterable is never repeated; from an array it is', async () => {
    const { api, server } = await fixture.start({ retry: { jitter: 'none', baseDelay: 10 } });
    server.handle('Sum', [fail(14), fail(14), (call: grpc.ServerReadableStream<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => call.on('data', () => undefined).on('end', () => cb(null, { total: 1, count: 1 }))]);
    async function* once() {
      yield { value: 1 };
    }
    expect(await rejectionOf(api.clientStream({ method: 'Sum', messages: once() }))).toMatchObject({ grpcCode: 14 });
    expect(server.calls).toHaveLength(1);
    await api.connect();
    useFakeClock();
    expect((await drive(api.clientStream({ method: 'Sum', messages: [{ value: 1 }] }))).attempts).toBe(2);
  });

  test('opening a server stream is retried on UNAVAILABLE', async () => {
    const { api, server } = await fixture.start({ retry: { jitter: 'none', baseDelay: 10 } });
    server.handle('Count', [(call: grpc.ServerWritableStream<unknown, unknown>) => call.emit('error', { code: 14, details: 'warming up' }), (call: grpc.ServerWritableStream<unknown, unknown>) => call.end()]);
    await api.connect();
    useFakeClock();
    const stream = await drive(api.serverStream({ method: 'Count', request: { to: 1 } }));
    vi.useRealTimers();
    expect(stream.attempts).toBe(2);
    for await (const _ of stream) void _;
  });
});

describe('opening a quiet server stream', () => {
  test('a server that says nothing yet gets its stream handed over after timeout.headers, not failed', async () => {
    const { api, server } = await fixture.start({ timeout: { headers: 1000 } });
    server.handle('Count', (call: grpc.ServerWritableStream<unknown, unknown>) => {
      setTimeout(() => {
        call.write({ n: 7 });
        call.end();
      }, 5000);
    });
    await api.connect();
    useFakeClock();
    const opened = Date.now();
    const stream = await drive(api.serverStream<{ n: number }>({ method: 'Count', request: { to: 1 } }));
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - opened).toBeLessThan(1500);
    const replies = stream[Symbol.asyncIterator]();
    expect((await drive(replies.next())).value).toEqual({ n: 7 });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(5000);
    expect((await stream.headers)['content-type']).toBe('application/grpc+proto');
  });
});

describe('circuit breaker', () => {
  test('client errors never open it; UNAVAILABLE, DEADLINE_EXCEEDED and INTERNAL do', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 3, openDuration: 60_000 } });
    server.handle('Say', [fail(3), fail(5), fail(7), fail(16), fail(9), fail(14), fail(4), fail(13), ok]);
    for (let i = 0; i < 8; i++) await rejectionOf(api.execute({ method: 'Say' }));
    expect(await rejectionOf(api.execute({ method: 'Say' }))).toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(server.calls).toHaveLength(8);
  });
});
