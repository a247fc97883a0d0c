import { describe, expect, test } from 'vitest';
import { rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

describe('unary', () => {
  test('calls a method by name with a plain object and returns body, headers, trailers, attempts', async () => {
    const { api, server } = await fixture.start();
    const res = await api.execute<{ text: string; big: string; color: string }>({ method: 'Say', request: { text: 'ab', times: 2, color: 'RED', big: '18446744073709551615' } });
    expect(res.body).toMatchObject({ text: 'abab', color: 'RED', big: '-1' });
    expect(res).toMatchObject({ status: 0, ok: true, method: '/test.echo.v1.Echo/Say', attempts: 1 });
    expect(res.headers['x-header']).toBe('hello');
    expect(res.trailers['x-trailer']).toBe('done');
    expect(res.durationMs).toBeGreaterThan(0);
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.request).toMatchObject({ text: 'ab', times: 2, color: 'RED', big: '18446744073709551615' });
  });

  test('accepts the short name, pkg.Service/Method and /pkg.Service/Method', async () => {
    const { api, server } = await fixture.start();
    for (const method of ['Lookup', 'test.echo.v1.Echo/Lookup', '/test.echo.v1.Echo/Lookup']) {
      expect((await api.execute({ method, request: { key: 'k' } })).body).toEqual({ text: 'found k', big: '0', color: 'COLOR_UNSPECIFIED', counts: {}, tags: [] });
    }
    expect(server.calls.map((c) => c.path)).toEqual(Array(3).fill('/test.echo.v1.Echo/Lookup'));
  });

  test('maps, enums, 64-bit integers, bytes and nested messages reach the server intact', async () => {
    const { api, server } = await fixture.start();
    await api.execute({ method: 'Say', request: { text: 'x', counts: { a: 1, b: 2 }, tag: { name: 'n', parent: { name: 'p' } }, b: '9007199254740993', blob: Buffer.from([1, 2, 3]), labels: ['l'] } });
    expect(server.calls[0]?.request).toMatchObject({
      counts: { a: 1, b: 2 },
      tag: { name: 'n', parent: { name: 'p' } },
      b: '9007199254740993',
      choice: 'b',
      blob: Buffer.from([1, 2, 3]),
      labels: ['l'],
    });
  });

  test('decode options: longs as numbers, enums as numbers, bytes as base64, no defaults', async () => {
    const { api } = await fixture.start({ decode: { longs: 'number', enums: 'number', defaults: false } });
    const res = await api.execute<Record<string, unknown>>({ method: 'Say', request: { text: 'x', big: 7, color: 'GREEN' } });
    expect(res.body).toEqual({ text: 'x', big: 7, color: 2 });
  });

  test('calling a streaming method with execute() names the right call', async () => {
    const { api } = await fixture.start();
    const error = await rejectionOf(api.execute({ method: 'Count', request: { to: 1 } }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(error.message).toContain('serverStream()');
  });
});

describe('metadata', () => {
  test('config metadata, per-call metadata and binary metadata reach the server; the response carries headers and trailers', async () => {
    const { api, server } = await fixture.start({ metadata: { 'x-team': 'data', 'x-request-id': 'from-config' } });
    const res = await api.execute({ method: 'Say', request: { text: 'hi' }, metadata: { 'x-request-id': 'r-42', 'trace-bin': Buffer.from([9, 9]) } });
    expect(server.calls[0]?.metadata).toMatchObject({ 'x-team': 'data', 'x-request-id': 'r-42', 'trace-bin': Buffer.from([9, 9]) });
    expect(server.calls[0]?.metadata['user-agent']).toMatch(/^ia-connectors/);
    expect(res.headers).toMatchObject({ 'x-header': 'hello', 'x-echo-request-id': 'r-42' });
    expect(res.trailers).toEqual({ 'x-trailer': 'done' });
  });

  test('bad metadata keys and values are INVALID_REQUEST naming the key; nothing is sent', async () => {
    const { api, server } = await fixture.start();
    const upper = await rejectionOf(api.execute({ method: 'Say', metadata: { 'X-Trace': 'a' } }));
    expect(upper).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(upper.message).toContain('"X-Trace" must be lower-case, e.g. "x-trace"');
    const bin = await rejectionOf(api.execute({ method: 'Say', metadata: { 'trace-bin': 'text' } }));
    expect(bin.message).toContain('pass a Buffer');
    const reserved = await rejectionOf(api.execute({ method: 'Say', metadata: { 'grpc-timeout': '1S' } }));
    expect(reserved.message).toContain('reserved');
    const newline = await rejectionOf(api.execute({ method: 'Say', metadata: { 'x-a': 'a\nb' } }));
    expect(newline.message).toContain('printable ASCII');
    expect(server.calls).toHaveLength(0);
  });
});

describe('server streaming', () => {
  test('iterates every message as an AsyncIterable, then exposes the trailers', async () => {
    const { api } = await fixture.start();
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 5 } });
    const seen: number[] = [];
    for await (const reply of stream) seen.push(reply.n);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(stream.attempts).toBe(1);
    expect(await stream.trailers).toEqual({});
  });

  test('a stream is read once; a second iteration is INVALID_REQUEST', async () => {
    const { api } = await fixture.start();
    const stream = await api.serverStream({ method: 'Count', request: { to: 1 } });
    for await (const _ of stream) void _;
    const again = stream[Symbol.asyncIterator]();
    await expect(again.next()).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  test('a server that fails mid-stream ends the iteration with the mapped error', async () => {
    const { api, server } = await fixture.start();
    server.handle('Count', (call) => {
      call.write({ n: 1 });
      setTimeout(() => call.emit('error', { code: 13, details: 'disk on fire' }), 5);
    });
    const stream = await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 3 } });
    const seen: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const reply of stream) seen.push(reply.n);
      })(),
    );
    expect(seen).toEqual([1]);
    expect(error).toMatchObject({ code: 'GRPC', grpcCode: 13, details: { grpcStatus: 'INTERNAL', grpcMessage: 'disk on fire' } });
  });
});

describe('client streaming', () => {
  test('sends every message of an array and returns the single reply', async () => {
    const { api } = await fixture.start();
    const res = await api.clientStream<{ total: number; count: number }>({ method: 'Sum', messages: [{ value: 1 }, { value: 2 }, { value: 3 }] });
    expect(res.body).toEqual({ total: 6, count: 3 });
  });

  test('sends from an async iterable', async () => {
    const { api } = await fixture.start();
    async function* numbers() {
      for (let value = 1; value <= 100; value++) yield { value };
    }
    const res = await api.clientStream<{ total: number; count: number }>({ method: 'Sum', messages: numbers() });
    expect(res.body).toEqual({ total: 5050, count: 100 });
  });

  test('a bad message in the stream cancels the call with a PROTO error naming it', async () => {
    const { api, server } = await fixture.start();
    await api.execute({ method: 'Lookup' }); // the channel is connected, so the stream reaches the server
    async function* slowly() {
      yield { value: 1 };
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield { value: 'two' };
    }
    const error = await rejectionOf(api.clientStream({ method: 'Sum', messages: slowly() }));
    expect(error).toMatchObject({ code: 'PROTO', details: { field: 'messages[1].value' } });
    await expect.poll(() => server.calls[1]?.cancelled).toBe(true);
  });

  test('a source that throws fails the call with its message and cancels it', async () => {
    const { api } = await fixture.start();
    async function* broken() {
      yield { value: 1 };
      throw new Error('disk full');
    }
    const error = await rejectionOf(api.clientStream({ method: 'Sum', messages: broken() }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(error.message).toContain('disk full');
  });
});

describe('bidirectional streaming', () => {
  test('send, end and iterate the replies', async () => {
    const { api } = await fixture.start();
    const chat = await api.bidiStream<{ text: string }, { text: string }>({ method: 'Chat' });
    await chat.send({ text: 'one' });
    await chat.send({ text: 'two' });
    chat.end();
    const replies: string[] = [];
    for await (const reply of chat) replies.push(reply.text);
    expect(replies).toEqual(['echo: one', 'echo: two']);
    expect(await chat.trailers).toEqual({});
  });

  test('replies can be read while sending', async () => {
    const { api } = await fixture.start();
    const chat = await api.bidiStream<{ text: string }, { text: string }>({ method: 'Chat' });
    const replies = chat[Symbol.asyncIterator]();
    await chat.send({ text: 'ping' });
    expect((await replies.next()).value).toEqual({ text: 'echo: ping' });
    await chat.send({ text: 'pong' });
    expect((await replies.next()).value).toEqual({ text: 'echo: pong' });
    chat.end();
    expect((await replies.next()).done).toBe(true);
  });

  test('send() checks each message and refuses after end()', async () => {
    const { api } = await fixture.start();
    const chat = await api.bidiStream({ method: 'Chat' });
    expect(() => chat.send({ txt: 'x' })).toThrow(/messages\[0\]\.txt: unknown field of test\.echo\.v1\.ChatMessage; did you mean "text"\?/);
    chat.end();
    expect(() => chat.send({ text: 'late' })).toThrow(/send\(\) after end\(\)/);
    for await (const _ of chat) void _;
  });
});
