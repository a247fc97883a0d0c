import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openTelemetry } from '../../../src/observability/otel/open-telemetry.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import { json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { childrenOf, parseTraceparent, spanNamed, startOtel, type OtelHarness } from './support.js';

let server: ScriptedServer;
let otel: OtelHarness;
let api: RestConnector | undefined;

beforeEach(async () => {
  server = await startServer();
  otel = await startOtel();
});

afterEach(async () => {
  await api?.disconnect();
  api = undefined;
  await server.close();
  await otel.shutdown();
});

function connect(options: Record<string, unknown> = {}): RestConnector {
  api = createRestConnector({ name: 'users', baseUrl: `${server.url}/v1`, retry: { jitter: 'none', baseDelay: 5 }, ...options }, { observers: [otel.otel] });
  return api;
}

describe('REST calls as spans', () => {
  test('a 503 then 200 is one CLIENT call span with two attempt children, a retry event, and the server saw each attempt\'s traceparent', async () => {
    server.route('GET', '/v1/users/*', [status(503), json(200, { id: 'ada' })]);
    const res = await connect().get('/users/{id}', { params: { id: 'ada lovelace' } }).query({ expand: 'posts' }).send();
    expect(res.status).toBe(200);

    const spans = otel.spans();
    const call = spanNamed(spans, 'GET /users/{id}');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.parentSpanContext).toBeUndefined();
    expect(call.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'url.scheme': 'http',
      'url.template': '/users/{id}',
      'url.full': `${server.url}/v1/users/ada%20lovelace?expand=posts`,
      'http.response.status_code': 200,
      'ia_connectors.connector': 'users',
      'ia_connectors.protocol': 'rest',
      'ia_connectors.attempts': 2,
    });
    expect(call.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(call.events.map((e) => e.name)).toEqual(['retry']);
    expect(call.events[0]?.attributes).toMatchObject({ attempt: 2, 'retry.delay_ms': 5, 'retry.reason': 'status 503' });

    const attempts = childrenOf(spans, call);
    expect(attempts.map((a) => [a.name, a.kind, a.attributes['ia_connectors.attempt']])).toEqual([
      ['GET /users/{id}', SpanKind.CLIENT, 1],
      ['GET /users/{id}', SpanKind.CLIENT, 2],
    ]);
    const [first, second] = attempts as [(typeof attempts)[0], (typeof attempts)[0]];
    expect(first.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' });
    expect(first.attributes['http.request.resend_count']).toBeUndefined();
    expect(first.status.code).toBe(SpanStatusCode.ERROR);
    expect(second.attributes).toMatchObject({ 'http.response.status_code': 200, 'http.request.resend_count': 1 });

    expect(server.requests).toHaveLength(2);
    server.requests.forEach((request, i) => {
      const sent = parseTraceparent(request.headers.traceparent);
      expect(sent.traceId).toBe(call.spanContext().traceId);
      expect(sent.spanId).toBe(attempts[i]?.spanContext().spanId);
    });
  });

  test('a refused connection ends the call span with status ERROR and error.type CONNECTION_REFUSED', async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    api = createRestConnector({ name: 'gone', baseUrl: url, retry: { maxAttempts: 1 } }, { observers: [otel.otel] });
    await expect(api.get('/health').send()).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
    const call = spanNamed(otel.spans(), 'GET /health');
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes['error.type']).toBe('CONNECTION_REFUSED');
    expect(call.status.message).toMatch(/refused|ECONNREFUSED|listening/i);
  });

  test('a 404 is a response for the caller and an ERROR span with error.type "404"', async () => {
    server.route('GET', '/v1/missing', status(404));
    const res = await connect().get('/missing').send();
    expect(res.status).toBe(404);
    const call = spanNamed(otel.spans(), 'GET /missing');
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
  });
});

describe('REST metrics', () => {
  test('attempt durations follow http.client.request.duration; calls, retries and in-flight are counted by connector', async () => {
    server.route('GET', '/v1/items', [status(503), json(200, [])]);
    await connect().get('/items').send();
    const metrics = await otel.metrics();

    const http = metrics.get('http.client.request.duration');
    expect(http?.descriptor.unit).toBe('s');
    const points = (http?.dataPoints ?? []).map((p) => p.attributes);
    expect(points).toEqual(
      expect.arrayContaining([
        { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': server.port, 'url.scheme': 'http', 'url.template': '/items', 'http.response.status_code': 503, 'error.type': '503' },
        { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': server.port, 'url.scheme': 'http', 'url.template': '/items', 'http.response.status_code': 200 },
      ]),
    );
    const calls = metrics.get('ia_connectors.call.duration');
    expect(calls?.dataPoints.map((p) => [p.attributes, (p.value as { count: number }).count])).toEqual([
      [{ 'ia_connectors.connector': 'users', 'ia_connectors.protocol': 'rest', 'ia_connectors.outcome': 'success' }, 1],
    ]);
    expect(metrics.get('ia_connectors.retries')?.dataPoints.map((p) => [p.attributes['retry.reason'], p.value])).toEqual([['status 503', 1]]);
    expect(metrics.get('ia_connectors.calls.active')?.dataPoints.map((p) => p.value)).toEqual([0]);
  });
});

describe('propagation and flushing', () => {
  test('the global propagator is used once one is registered, and propagator: false sends no trace headers', async () => {
    server.route('GET', '/v1/p', json(200, {}));
    propagation.setGlobalPropagator({
      inject: (ctx, carrier, setter) => setter.set(carrier, 'x-trace-id', trace.getSpanContext(ctx)?.traceId ?? 'none'),
      extract: (ctx) => ctx,
      fields: () => ['x-trace-id'],
    });
    await connect().get('/p').send();
    const call = spanNamed(otel.spans(), 'GET /p');
    expect(server.requests[0]?.headers).toMatchObject({ 'x-trace-id': call.spanContext().traceId });
    expect(server.requests[0]?.headers.traceparent).toBeUndefined();

    const quiet = await openTelemetry({ tracerProvider: otel.tracerProvider, propagator: false });
    const silent = createRestConnector({ name: 'silent', baseUrl: `${server.url}/v1` }, { observers: [quiet] });
    await silent.get('/p').send();
    await silent.disconnect();
    expect(server.requests[1]?.headers['x-trace-id']).toBeUndefined();
    expect(server.requests[1]?.headers.traceparent).toBeUndefined();
  });

  test('close() flushes the providers it was given', async () => {
    server.route('GET', '/v1/f', json(200, {}));
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })] });
    const batched = await openTelemetry({ tracerProvider });
    const c = createRestConnector({ name: 'batched', baseUrl: `${server.url}/v1` }, { observers: [batched] });
    await c.get('/f').send();
    await c.disconnect();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await batched.close();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET /f', 'GET /f']);
    await tracerProvider.shutdown();
  });
});
