import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { delay, json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { childrenOf, startOtel, type OtelHarness } from './support.js';

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

function connect(options: Omit<RestConnectorOptions, 'name' | 'baseUrl'>): RestConnector {
  api = createRestConnector({ name: 'flaky', baseUrl: server.url, ...options }, { observers: [otel.otel] });
  return api;
}

describe('policy events on the call span', () => {
  test('a call the open breaker refuses has a circuit_breaker.rejected event, no attempt span, and error.type CIRCUIT_OPEN; the transition is counted', async () => {
    server.route('GET', '/x', status(500));
    const c = connect({ retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 1, openDuration: 60_000 } });
    expect((await c.get('/x').send()).status).toBe(500);
    await expect(c.get('/x').send()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });

    const calls = otel.spans().filter((s) => s.name === 'GET /x' && s.attributes['ia_connectors.attempt'] === undefined);
    expect(calls).toHaveLength(2);
    const refused = calls.find((s) => s.attributes['error.type'] === 'CIRCUIT_OPEN');
    expect(refused?.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused?.events.map((e) => [e.name, e.attributes?.['circuit_breaker.state']])).toEqual([['circuit_breaker.rejected', 'open']]);
    expect(childrenOf(otel.spans(), refused as NonNullable<typeof refused>)).toEqual([]);
    expect(server.requests).toHaveLength(1);

    const metrics = await otel.metrics();
    expect(metrics.get('ia_connectors.rejections')?.dataPoints.map((p) => [p.attributes['ia_connectors.rejected_by'], p.value])).toEqual([['circuit_breaker', 1]]);
    expect(metrics.get('ia_connectors.circuit_breaker.transitions')?.dataPoints.map((p) => [p.attributes['circuit_breaker.state'], p.value])).toEqual([['open', 1]]);
    expect(metrics.get('ia_connectors.call.duration')?.dataPoints.map((p) => [p.attributes['ia_connectors.outcome'], p.attributes['error.type'], (p.value as { count: number }).count])).toEqual([
      ['failure', '500', 1],
      ['failure', 'CIRCUIT_OPEN', 1],
    ]);
    expect(metrics.get('ia_connectors.circuit_breaker.state')?.dataPoints.map((p) => [p.attributes['ia_connectors.connector'], p.value])).toEqual([['flaky', 2]]);
  });

  test('a call that waits for a rate-limit token has a rate_limit.wait event with the wait, also recorded as a histogram', async () => {
    server.route('GET', '/y', json(200, {}));
    const c = connect({ rateLimit: { perSecond: 20, burst: 1 } });
    await Promise.all([c.get('/y').send(), c.get('/y').send()]);
    const waited = otel.spans().filter((s) => s.events.some((e) => e.name === 'rate_limit.wait'));
    expect(waited).toHaveLength(1);
    const wait = waited[0]?.events.find((e) => e.name === 'rate_limit.wait')?.attributes?.['rate_limit.wait_ms'];
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(50);
    const histogram = (await otel.metrics()).get('ia_connectors.rate_limit.wait.duration');
    expect(histogram?.dataPoints.map((p) => [p.attributes['ia_connectors.connector'], (p.value as { count: number }).count])).toEqual([['flaky', 1]]);
  });

  test('a call waiting for a bulkhead slot has a bulkhead.wait event; calls in flight go up and back down', async () => {
    server.route('GET', '/z', delay(30, json(200, {})));
    const c = connect({ bulkhead: { maxConcurrent: 1, maxQueue: 5 } });
    const both = Promise.all([c.get('/z').send(), c.get('/z').send()]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const during = (await otel.metrics()).get('ia_connectors.calls.active')?.dataPoints[0]?.value;
    await both;
    expect(during).toBe(2);
    expect(otel.spans().flatMap((s) => s.events.map((e) => e.name))).toEqual(['bulkhead.wait']);
    expect((await otel.metrics()).get('ia_connectors.calls.active')?.dataPoints[0]?.value).toBe(0);
  });
});
