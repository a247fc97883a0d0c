import * as grpc from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { WebSocketConnector } from '../../../src/protocols/websocket/connector.js';
import { createWebSocketConnector } from '../../../src/protocols/websocket/create.js';
import { useGraphQL } from '../../protocols/graphql/helpers.js';
import { rejectionOf, useGrpcFixture } from '../../protocols/grpc/helpers.js';
import { rpc, startWsServer, type WsTestServer } from '../../support/ws-server.js';
import { childrenOf, parseTraceparent, spanNamed, startOtel, type OtelHarness } from './support.js';

let otel: OtelHarness;

beforeEach(async () => {
  otel = await startOtel();
});

afterEach(async () => {
  await otel.shutdown();
});

describe('GraphQL', () => {
  const gql = useGraphQL();

  test('a named query is a "query GetUser" span with graphql.operation.* and the HTTP attributes of its POST; the server saw its traceparent', async () => {
    const server = await gql.server();
    const api = gql.connector({ baseUrl: server.url }, { observers: [otel.otel] });
    const res = await api.query('query GetUser($id: ID!) { user(id: $id) { name } }', { id: '1' });
    expect(res.data).toEqual({ user: { name: 'Ada' } });

    const spans = otel.spans();
    const call = spanNamed(spans, 'query GetUser');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'GetUser',
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'url.full': `${server.url}/graphql`,
      'http.response.status_code': 200,
      'ia_connectors.protocol': 'graphql',
    });
    const [attempt] = childrenOf(spans, call);
    const sent = parseTraceparent(server.requests.at(-1)?.headers.traceparent);
    expect(sent).toEqual({ traceId: call.spanContext().traceId, spanId: attempt?.spanContext().spanId });
  });

  test('opening the subscriptions socket is a "websocket open" span; the handshake carried its traceparent', async () => {
    const server = await gql.server();
    const api = gql.connector({ baseUrl: server.url, subscriptions: {} }, { observers: [otel.otel] });
    const seen: unknown[] = [];
    for await (const event of api.subscribe<{ countdown: number }>('subscription { countdown(from: 2) }')) seen.push(event.data?.countdown);
    expect(seen).toEqual([2, 1]);
    const spans = otel.spans();
    const open = spanNamed(spans, 'websocket open');
    const [attempt] = childrenOf(spans, open);
    const sent = parseTraceparent(server.connections[0]?.headers.traceparent as string | undefined);
    expect(sent).toEqual({ traceId: open.spanContext().traceId, spanId: attempt?.spanContext().spanId });
  });

  test('a result with errors ends the span with status ERROR and error.type GRAPHQL; a mutation is named by its type', async () => {
    const server = await gql.server();
    const api = gql.connector({ baseUrl: server.url }, { observers: [otel.otel] });
    const broken = await api.query('query Broken { broken }');
    expect(broken.errors?.length).toBeGreaterThan(0);
    await api.mutation('mutation { addUser(name: "Linus") { id } }');
    const spans = otel.spans();
    const failed = spanNamed(spans, 'query Broken');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('GRAPHQL');
    const mutation = spanNamed(spans, 'mutation');
    expect(mutation.attributes['graphql.operation.type']).toBe('mutation');
    expect(mutation.attributes['graphql.operation.name']).toBeUndefined();
  });
});

describe('gRPC', () => {
  const fixture = useGrpcFixture();

  test('a unary call is a "{service}/{method}" span with rpc.* attributes; the server saw its traceparent in the metadata', async () => {
    const { server, api } = await fixture.start({}, {}, { observers: [otel.otel] });
    await api.execute({ method: 'Say', request: { text: 'hi' } });
    const spans = otel.spans();
    const call = spanNamed(spans, 'test.echo.v1.Echo/Say');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': 'test.echo.v1.Echo',
      'rpc.method': 'Say',
      'rpc.grpc.status_code': 0,
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'ia_connectors.protocol': 'grpc',
    });
    const [attempt] = childrenOf(spans, call);
    const sent = parseTraceparent(server.calls.at(-1)?.metadata.traceparent);
    expect(sent).toEqual({ traceId: call.spanContext().traceId, spanId: attempt?.spanContext().spanId });

    const metrics = await otel.metrics();
    expect(metrics.get('rpc.client.call.duration')?.dataPoints.map((p) => p.attributes)).toEqual([
      { 'rpc.system': 'grpc', 'rpc.service': 'test.echo.v1.Echo', 'rpc.method': 'Say', 'server.address': '127.0.0.1', 'server.port': server.port, 'rpc.grpc.status_code': 0 },
    ]);
  });

  test('a non-OK status ends the span with its rpc.grpc.status_code and error.type the status name', async () => {
    const { api } = await fixture.start({}, { behaviours: { Say: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.NOT_FOUND, details: 'no such text' }) } }, { observers: [otel.otel] });
    const error = await rejectionOf(api.execute({ method: 'Say', request: { text: 'x' } }));
    expect(error.grpcCode).toBe(grpc.status.NOT_FOUND);
    const call = spanNamed(otel.spans(), 'test.echo.v1.Echo/Say');
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ 'rpc.grpc.status_code': grpc.status.NOT_FOUND, 'error.type': 'NOT_FOUND' });
  });
});

describe('WebSocket', () => {
  let ws: WsTestServer;
  let feed: WebSocketConnector | undefined;

  afterEach(async () => {
    await feed?.close();
    feed = undefined;
    await ws.close();
  });

  test('opening the socket is a "websocket open" span; the handshake carried its traceparent', async () => {
    ws = await startWsServer({ onMessage: rpc });
    feed = createWebSocketConnector({ name: 'feed', baseUrl: ws.url, endpoint: '/ws?room=1' }, { observers: [otel.otel] });
    await feed.connect();
    const spans = otel.spans();
    const call = spanNamed(spans, 'websocket open');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': ws.port,
      'url.scheme': 'ws',
      'url.full': `${ws.url}/ws?room=1`,
      'http.response.status_code': 101,
      'ia_connectors.protocol': 'websocket',
    });
    const [attempt] = childrenOf(spans, call);
    const sent = parseTraceparent(ws.handshakes[0]?.headers.traceparent);
    expect(sent).toEqual({ traceId: call.spanContext().traceId, spanId: attempt?.spanContext().spanId });
  });

  test('a refused handshake keeps its status on the span', async () => {
    ws = await startWsServer({ refuse: () => ({ status: 403 }) });
    feed = createWebSocketConnector({ name: 'feed', baseUrl: ws.url, reconnect: false, retry: { maxAttempts: 1 } }, { observers: [otel.otel] });
    await expect(feed.connect()).rejects.toMatchObject({ code: 'AUTH', details: { status: 403 } });
    const call = spanNamed(otel.spans(), 'websocket open');
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ 'http.response.status_code': 403, 'error.type': 'AUTH' });
  });
});
