import type * as grpc from '@grpc/grpc-js';
import { describe, expect, test } from 'vitest';
import { rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

const never = (): void => undefined;

describe('deadlines', () => {
  test('the total timeout is sent as the gRPC deadline and a late answer fails with TIMEOUT', async () => {
    const { api, server } = await fixture.start({ timeout: { total: 150 }, retry: { maxAttempts: 1 } });
    server.handle('Say', never);
    const sent = Date.now();
    const error = await rejectionOf(api.execute({ method: 'Say', request: { text: 'slow' } }));
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    const deadline = server.calls[0]?.deadline as number;
    expect(deadline - sent).toBeGreaterThan(100);
    expect(deadline - sent).toBeLessThanOrEqual(200);
    await expect.poll(() => server.calls[0]?.cancelled).toBe(true);
  });

  test("a call's own timeout overrides the connector's, and deadline (a Date) works the same", async () => {
    const { api, server } = await fixture.start({ timeout: { total: 60_000 }, retry: { maxAttempts: 1 } });
    server.handle('Say', never);
    const sent = Date.now();
    expect((await rejectionOf(api.execute({ method: 'Say', timeout: 80 }))).code).toBe('TIMEOUT');
    expect((await rejectionOf(api.execute({ method: 'Say', deadline: new Date(Date.now() + 80) }))).code).toBe('TIMEOUT');
    for (const call of server.calls) expect(call.deadline - sent).toBeLessThan(1000);
  });

  test('a server-side DEADLINE_EXCEEDED (the server gave up) is a GRPC error, not our timeout', async () => {
    const { api, server } = await fixture.start({ retry: { maxAttempts: 1 } });
    server.handle('Say', (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback({ code: 4, details: 'backend timed out' }));
    expect(await rejectionOf(api.execute({ method: 'Say' }))).toMatchObject({ code: 'GRPC', grpcCode: 4 });
  });

  test('a stream without a timeout gets no deadline, with one it ends in TIMEOUT', async () => {
    const { api, server } = await fixture.start({ timeout: { total: 5000 } });
    const open = await api.serverStream({ method: 'Count', request: { to: 1 } });
    for await (const _ of open) void _;
    expect(server.calls[0]?.deadline).toBe(Infinity);
    const slow = await api.serverStream({ method: 'Count', request: { to: 100, interval_ms: 50 }, timeout: 120 });
    const error = await rejectionOf(
      (async () => {
        for await (const _ of slow) void _;
      })(),
    );
    expect(error).toMatchObject({ code: 'TIMEOUT', grpcCode: 4 });
  });
});

describe('cancellation', () => {
  test('an AbortSignal cancels a unary call: ABORTED, and the server sees the cancel', async () => {
    const { api, server } = await fixture.start();
    server.handle('Say', never);
    const controller = new AbortController();
    const pending = api.execute({ method: 'Say', signal: controller.signal });
    await expect.poll(() => server.calls.length).toBe(1);
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ code: 'ABORTED', details: { grpcStatus: 'CANCELLED' } });
    await expect.poll(() => server.calls[0]?.cancelled).toBe(true);
  });

  test('breaking out of a server stream cancels it on the server', async () => {
    const { api, server } = await fixture.start();
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 1000, interval_ms: 5 } });
    for await (const reply of stream) if (reply.n === 2) break;
    await expect.poll(() => server.calls[0]?.cancelled).toBe(true);
    expect(await stream.trailers).toEqual({});
  });

  test('the AbortSignal cancels a stream mid-way: the iteration ends with ABORTED', async () => {
    const { api, server } = await fixture.start();
    const controller = new AbortController();
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 1000, interval_ms: 5 }, signal: controller.signal });
    const seen: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const reply of stream) {
          seen.push(reply.n);
          if (reply.n === 3) controller.abort();
        }
      })(),
    );
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(seen.length).toBeLessThan(20);
    await expect.poll(() => server.calls[0]?.cancelled).toBe(true);
  });

  test('cancel() ends an iteration quietly; await using cancels an unfinished stream', async () => {
    const { api, server } = await fixture.start();
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 1000, interval_ms: 5 } });
    const seen: number[] = [];
    for await (const reply of stream) {
      seen.push(reply.n);
      if (reply.n === 2) stream.cancel();
    }
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    {
      await using _disposed = await api.serverStream({ method: 'Count', request: { to: 1000, interval_ms: 5 } });
    }
    await expect.poll(() => server.calls.map((c) => c.cancelled)).toEqual([true, true]);
  });

  test('a cancelled bidirectional stream ends its iteration and frees the call', async () => {
    const { api, server } = await fixture.start();
    const chat = await api.bidiStream<{ text: string }, { text: string }>({ method: 'Chat' });
    await chat.send({ text: 'a' });
    const replies = chat[Symbol.asyncIterator]();
    expect((await replies.next()).value).toEqual({ text: 'echo: a' });
    chat.cancel();
    expect((await replies.next()).done).toBe(true);
    await expect.poll(() => server.calls[0]?.cancelled).toBe(true);
    expect(() => chat.send({ text: 'b' })).toThrow(/after end\(\)/);
  });

  test('aborting before the call starts never reaches the server', async () => {
    const { api, server } = await fixture.start();
    await api.connect();
    const error = await rejectionOf(api.execute({ method: 'Say', signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(server.calls).toHaveLength(0);
  });
});
