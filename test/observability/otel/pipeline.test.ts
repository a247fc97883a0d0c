import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { observeSteps } from '../../../src/observability/steps.js';
import { createStepRegistry, runPipeline } from '../../../src/pipeline/index.js';
import type { ConnectorLookup } from '../../../src/pipeline/connectors.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import { json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { childrenOf, parentOf, spanNamed, startOtel, type OtelHarness } from './support.js';

let server: ScriptedServer;
let otel: OtelHarness;
let users: RestConnector;

beforeEach(async () => {
  server = await startServer();
  otel = await startOtel();
  users = createRestConnector({ name: 'users', baseUrl: server.url, retry: { maxAttempts: 1 } }, { observers: [otel.otel] });
});

afterEach(async () => {
  await users.disconnect();
  await server.close();
  await otel.shutdown();
});

const connectors: ConnectorLookup = { get: async () => users };

const pipeline = {
  name: 'traced',
  steps: [
    { id: 'load', type: 'api_call', config: { connector: 'users', method: 'GET', endpoint: '/users', output_field: 'ids' } },
    { id: 'each', type: 'foreach', config: { items: '{{ steps.load.result.ids }}', concurrency: 2, step: { type: 'api_call', config: { connector: 'users', endpoint: '/users/{item}' } } } },
  ],
  flow: { start_at: 'load', transitions: [{ from: 'load', to: 'each' }] },
};

describe('pipeline steps as spans', () => {
  test('each step is an INTERNAL "step <id>" span under the caller\'s span, parenting the calls it makes; foreach items are steps too', async () => {
    server.route('GET', '/users', json(200, ['ada', 'grace']));
    server.route('GET', '/users/*', json(200, { ok: true }));
    const tracer = otel.tracerProvider.getTracer('test');
    const result = await tracer.startActiveSpan('nightly run', async (root) => {
      try {
        return await runPipeline(pipeline, { connectors, steps: observeSteps(createStepRegistry(), [otel.otel]) });
      } finally {
        root.end();
      }
    });
    expect(result.status).toBe('succeeded');

    const spans = otel.spans();
    const root = spanNamed(spans, 'nightly run');
    const load = spanNamed(spans, 'step load');
    const each = spanNamed(spans, 'step each');
    expect([load.kind, each.kind]).toEqual([SpanKind.INTERNAL, SpanKind.INTERNAL]);
    expect(load.attributes).toMatchObject({ 'ia_connectors.step.id': 'load', 'ia_connectors.step.type': 'api_call' });
    expect([parentOf(load), parentOf(each)]).toEqual([root.spanContext().spanId, root.spanContext().spanId]);

    expect(childrenOf(spans, load).map((s) => s.name)).toEqual(['GET /users']);
    const items = childrenOf(spans, each);
    expect(items.map((s) => s.name).sort()).toEqual(['step each[0]', 'step each[1]']);
    for (const item of items) {
      expect(item.attributes['ia_connectors.step.type']).toBe('api_call');
      const [call] = childrenOf(spans, item);
      expect(call?.name).toBe('GET /users/{item}');
      expect(call?.kind).toBe(SpanKind.CLIENT);
    }
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    expect(new Set(server.requests.map((r) => String(r.headers.traceparent).split('-')[1]))).toEqual(traceIds);
  });

  test('a failed step ends its span with status ERROR and the error code', async () => {
    server.route('GET', '/users', status(500));
    const result = await runPipeline({ ...pipeline, steps: pipeline.steps.slice(0, 1), flow: { start_at: 'load' } }, { connectors, steps: observeSteps(createStepRegistry(), [otel.otel]) });
    expect(result.status).toBe('failed');
    const load = spanNamed(otel.spans(), 'step load');
    expect(load.status.code).toBe(SpanStatusCode.ERROR);
    expect(load.attributes['error.type']).toBe(result.steps['load']?.error?.code);
    expect(trace.getActiveSpan()).toBeUndefined();
    const metrics = await otel.metrics();
    expect(metrics.get('ia_connectors.step.duration')?.dataPoints.map((p) => p.attributes)).toEqual([
      { 'ia_connectors.step.type': 'api_call', 'ia_connectors.outcome': 'failure', 'error.type': load.attributes['error.type'] },
    ]);
  });
});
