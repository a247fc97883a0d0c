import { describe, expect, test } from 'vitest';
import { ConnectorError } from '../../../src/core/errors.js';
import { routeTemplate, serverAttributes } from '../../../src/observability/protocols/common.js';
import { grpcObservation, grpcServerAttributes } from '../../../src/observability/protocols/grpc.js';
import { MAX_OBSERVED_BODY, observedMessage } from '../../../src/observability/protocols/message.js';
import { restObservation } from '../../../src/observability/protocols/rest.js';
import { websocketObservation } from '../../../src/observability/protocols/websocket.js';
import { Redactor } from '../../../src/observability/redact.js';

describe('attribute helpers', () => {
  test('server.address and server.port follow the semantic conventions', () => {
    expect(serverAttributes(new URL('https://api.example.com/v1'))).toEqual({ 'server.address': 'api.example.com', 'server.port': 443 });
    expect(serverAttributes(new URL('ws://[::1]:8080/ws'))).toEqual({ 'server.address': '::1', 'server.port': 8080 });
    expect(grpcServerAttributes('127.0.0.1:50051')).toEqual({ 'server.address': '127.0.0.1', 'server.port': 50051 });
    expect(grpcServerAttributes('grpcs://api.example.com:443')).toEqual({ 'server.address': 'api.example.com', 'server.port': 443 });
    expect(grpcServerAttributes('dns:///api.example.com')).toEqual({ 'server.address': 'api.example.com', 'server.port': 443 });
    expect(grpcServerAttributes('dns://8.8.8.8/api.example.com:8443')).toEqual({ 'server.address': 'api.example.com', 'server.port': 8443 });
    expect(grpcServerAttributes('[::1]:50051')).toEqual({ 'server.address': '::1', 'server.port': 50051 });
    expect(grpcServerAttributes('unix:/run/app.sock')).toEqual({ 'server.address': '/run/app.sock' });
  });

  test('url.full hides the redactor\'s query parameters, credential-named parameters and known secrets', () => {
    const redactor = new Redactor({ queryParams: ['sig2'], secrets: ['p4ssw0rd-value'] });
    const rest = restObservation({ connector: 'c', baseUrl: 'https://x.test', redactor });
    const urlFull = (endpoint: string): unknown => rest.call({ method: 'GET', endpoint }, 0).attributes['url.full'];
    expect(urlFull('/a?token=t1&sig2=s&page=2&q=p4ssw0rd-value')).toBe('https://x.test/a?token=%5BREDACTED%5D&sig2=%5BREDACTED%5D&page=2&q=[REDACTED]');
    expect(urlFull('/a?Signature=abc&X-Amz-Credential=k&AWSAccessKeyId=id&X-Goog-Signature=g&page=1')).toBe(
      'https://x.test/a?Signature=%5BREDACTED%5D&X-Amz-Credential=%5BREDACTED%5D&AWSAccessKeyId=%5BREDACTED%5D&X-Goog-Signature=%5BREDACTED%5D&page=1',
    );
    expect(urlFull('/a?page=1')).toBe('https://x.test/a?page=1');
  });

  test('route templates drop the query, so names and metric labels stay bounded', () => {
    expect(routeTemplate('/users/{id}?expand=posts', new Redactor())).toBe('/users/{id}');
    expect(routeTemplate('', new Redactor())).toBe('/');
  });
});

describe('observed messages', () => {
  test('bytes and streams are described, long text is cut, and JSON that cannot be serialised says so', () => {
    const r = new Redactor();
    expect(observedMessage({}, new Uint8Array(3), r).body).toBe('[3 bytes]');
    expect(observedMessage({}, (async function* () {})(), r).body).toBe('[stream]');
    const long = observedMessage(undefined, 'y'.repeat(MAX_OBSERVED_BODY + 10), r);
    expect([String(long.body).length, long.truncated, long.headers]).toEqual([MAX_OBSERVED_BODY, true, undefined]);
    expect(observedMessage({}, { n: 10n }, r).body).toEqual({ n: 10n });
    expect(observedMessage({ accept: ['a', 'b'], 'x-auth-token': 't' }, undefined, r).headers).toEqual({ accept: 'a, b', 'x-auth-token': '[REDACTED]' });
  });
});

describe('adapters', () => {
  test('REST: a bad endpoint is still observed, without url.full; an absolute endpoint to an allowed origin names that server', () => {
    const rest = restObservation({ connector: 'c', baseUrl: 'http://127.0.0.1:8080/v1', allowedOrigins: ['https://files.example.com'], redactor: new Redactor() });
    const bad = rest.call({ method: 'GET', endpoint: '/users/{id}' }, 0);
    expect(bad.attributes['url.full']).toBeUndefined();
    expect(bad.name).toBe('GET /users/{id}');
    const other = rest.call({ method: 'GET', endpoint: 'https://files.example.com/f/1' }, 0);
    expect(other.attributes).toMatchObject({ 'server.address': 'files.example.com', 'server.port': 443, 'url.full': 'https://files.example.com/f/1' });
    expect(rest.call({ method: 'BREW' as 'GET', endpoint: '/pot' }, 0).attributes['http.request.method']).toBe('_OTHER');
  });

  test('gRPC: without the protos the method path names the service; errors carry their status code and name', () => {
    const grpc = grpcObservation({ connector: 'g', target: '127.0.0.1:50051', redactor: new Redactor() });
    const call = grpc.call({ kind: 'unary', method: '/pkg.Svc/Get' }, 0);
    expect([call.name, call.attributes['rpc.service'], call.attributes['rpc.method']]).toEqual(['pkg.Svc/Get', 'pkg.Svc', 'Get']);
    const failed = grpc.failure(new ConnectorError('GRPC', 'unavailable', { details: { grpcCode: 14 } }), { kind: 'unary', method: 'Get' });
    expect(failed.attributes).toEqual({ 'rpc.grpc.status_code': 14, 'error.type': 'UNAVAILABLE' });
    expect(grpc.propagate({ kind: 'unary', method: 'Get', metadata: { traceparent: 'old', 'x-a': '1' } }, { traceparent: 'new' }).metadata).toEqual({ 'x-a': '1', traceparent: 'new' });
  });

  test('WebSocket: a reopening is marked; handshake headers replace one of the same name in any case', () => {
    const ws = websocketObservation({ connector: 'w', redactor: new Redactor() });
    const request = { url: 'wss://feed.example.com/ws', headers: { Traceparent: 'old' }, protocols: [], reconnect: 2 };
    expect(ws.call(request, 0).attributes).toMatchObject({ 'server.port': 443, 'url.scheme': 'wss', 'ia_connectors.websocket.reconnect': 2 });
    expect(ws.propagate(request, { traceparent: 'new' }).headers).toEqual({ traceparent: 'new' });
  });
});
