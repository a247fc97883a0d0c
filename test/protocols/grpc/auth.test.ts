import type * as grpc from '@grpc/grpc-js';
import { describe, expect, test } from 'vitest';
import type { ConnectorEvents } from '../../../src/core/connector-events.js';
import { rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

const unauthenticated = (_call: unknown, callback: grpc.sendUnaryData<unknown>): void => callback({ code: 16, details: 'token expired' });
const ok = (_call: unknown, callback: grpc.sendUnaryData<unknown>): void => callback(null, { text: 'ok' });

describe('auth as call metadata', () => {
  test('bearer: every call and every stream opening carries authorization: Bearer', async () => {
    const { api, server } = await fixture.start({ auth: { type: 'bearer', token: 't0k3n-abc' } });
    await api.execute({ method: 'Say', request: { text: 'x' } });
    const stream = await api.serverStream({ method: 'Count', request: { to: 1 } });
    for await (const _ of stream) void _;
    const chat = await api.bidiStream({ method: 'Chat' });
    chat.end();
    for await (const _ of chat) void _;
    expect(server.calls.map((c) => c.metadata['authorization'])).toEqual(['Bearer t0k3n-abc', 'Bearer t0k3n-abc', 'Bearer t0k3n-abc']);
  });

  test('api_key in a header becomes lower-case metadata and replaces a same-named per-call value', async () => {
    const { api, server } = await fixture.start({ auth: { type: 'api_key', apiKey: 'k-123456', name: 'X-API-Key' } });
    await api.execute({ method: 'Say', metadata: { 'x-api-key': 'spoofed' } });
    expect(server.calls[0]?.metadata['x-api-key']).toBe('k-123456');
  });

  test('UNAUTHENTICATED renews a provider token once and repeats the call with the new one', async () => {
    let issued = 0;
    const { api, server } = await fixture.start({ retry: { maxAttempts: 1 }, auth: { type: 'bearer', token: async () => `token-${++issued}` } });
    server.handle('Say', [unauthenticated, ok]);
    const responses: ConnectorEvents['response'][] = [];
    api.on('response', (e) => responses.push(e));
    const res = await api.execute({ method: 'Say' });
    expect(res.body).toMatchObject({ text: 'ok' });
    expect(server.calls.map((c) => c.metadata['authorization'])).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(responses.map((e) => [e.status, e.method])).toEqual([
      [16, '/test.echo.v1.Echo/Say'],
      [0, '/test.echo.v1.Echo/Say'],
    ]);
  });

  test('a static token is not renewed: UNAUTHENTICATED is thrown once, naming the auth settings', async () => {
    const { api, server } = await fixture.start({ auth: { type: 'bearer', token: 'static-token' } });
    server.handle('Say', unauthenticated);
    const error = await rejectionOf(api.execute({ method: 'Say' }));
    expect(error).toMatchObject({ code: 'GRPC', grpcCode: 16 });
    expect(error.message).toContain("auth settings");
    expect(server.calls).toHaveLength(1);
  });

  test('secrets never reach events, errors or response metadata', async () => {
    const { api, server } = await fixture.start({ auth: { type: 'bearer', token: 'sup3r-s3cret' }, retry: { maxAttempts: 1 } });
    server.handle('Say', (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const echo = call.metadata.clone();
      call.sendMetadata(echo);
      callback({ code: 7, details: `denied for ${String(call.metadata.get('authorization')[0])}` });
    });
    const seen: unknown[] = [];
    for (const event of ['request', 'response', 'retry'] as const) api.on(event, (e) => seen.push(e));
    const error = await rejectionOf(api.execute({ method: 'Say' }));
    const text = JSON.stringify({ seen, error, message: error.message, config: api, inspected: String(api.toJSON()) });
    expect(text).not.toContain('sup3r-s3cret');
    expect(text).toContain('[REDACTED]');
  });
});

describe('what a connector shows of itself', () => {
  test('an inline TLS private key never appears in toJSON or inspect; a key path does', async () => {
    const { inspect } = await import('node:util');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const inline = fixture.connector({ name: 'a', target: 'h:1', reflection: true, tls: { cert: 'cert.pem', key: pem } });
    const text = JSON.stringify(inline) + inspect(inline, { depth: 5 });
    expect(text).not.toContain('MIGHAgEA');
    expect(text).toContain('[REDACTED]');
    const byPath = fixture.connector({ name: 'b', target: 'h:1', reflection: true, tls: { cert: 'cert.pem', key: '/etc/app/client.key' } });
    expect(JSON.stringify(byPath)).toContain('/etc/app/client.key');
  });

  test('a response prints its headers and trailers', async () => {
    const { inspect } = await import('node:util');
    const { api } = await fixture.start();
    const res = await api.execute({ method: 'Say', request: { text: 'x' } });
    expect(inspect(res)).toContain("'x-trailer': 'done'");
    expect(JSON.parse(JSON.stringify(res))).toMatchObject({ status: 0, headers: { 'x-header': 'hello' }, trailers: { 'x-trailer': 'done' } });
  });

  test('describeMethod() on a closed connector is NOT_CONNECTED, never a silent reconnect', async () => {
    const { api } = await fixture.start();
    await api.connect();
    await api.disconnect();
    expect(await rejectionOf(api.describeMethod('Say'))).toMatchObject({ code: 'NOT_CONNECTED' });
    expect(api.state).toBe('closed');
  });
});
