import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as composeModule from '../../../src/core/compose.js';
import { observerLayers } from '../../../src/observability/layers/observer-layers.js';
import type { Observer } from '../../../src/observability/observer.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import { json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { recorder } from './recorder.js';

vi.mock('../../../src/core/compose.js', async (importOriginal) => {
  const original = await importOriginal<typeof composeModule>();
  return { ...original, compose: vi.fn(original.compose) };
});

let server: ScriptedServer;
let api: RestConnector | undefined;

beforeEach(async () => {
  server = await startServer();
  vi.mocked(composeModule.compose).mockClear();
});

afterEach(async () => {
  await api?.disconnect();
  api = undefined;
  await server.close();
});

function connect(observers?: Observer[], options: Record<string, unknown> = {}): RestConnector {
  api = createRestConnector({ name: 'api', baseUrl: server.url, retry: { jitter: 'none', baseDelay: 1 }, ...options }, observers ? { observers } : {});
  return api;
}

describe('cost when nobody watches', () => {
  test('no observers (or none with startCall/attach) means no layers, and the adapter is never built', () => {
    const adapter = vi.fn();
    expect(observerLayers(undefined, adapter)).toEqual([]);
    expect(observerLayers([], adapter)).toEqual([]);
    expect(observerLayers([{ startStep: () => undefined }], adapter)).toEqual([]);
    expect(adapter).not.toHaveBeenCalled();
  });

  test('a connector without observers composes exactly the layers it had before; with one, two more; the chain is composed once at connect', async () => {
    server.route('GET', '/x', json(200, {}));
    const plain = connect(undefined, { retry: { maxAttempts: 2 } });
    await plain.get('/x').send();
    await plain.get('/x').send();
    const calls = vi.mocked(composeModule.compose).mock.calls;
    expect(calls).toHaveLength(1);
    const without = calls[0]?.[0].length as number;
    await plain.disconnect();

    connect([recorder()], { retry: { maxAttempts: 2 } });
    await api?.get('/x').send();
    await api?.get('/x').send();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.[0].length).toBe(without + 2);
  });
});

describe('fan-out to observers', () => {
  test('every observer sees the call, its attempts, the retry the policy reported and its end; the server gets every observer\'s headers', async () => {
    server.route('GET', '/flaky', [status(503), json(200, { fine: true })]);
    const a = recorder();
    const b = recorder();
    a.propagation = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'x-from': 'a' };
    b.propagation = { 'x-from': 'b', baggage: 'k=v' };
    const res = await connect([a, b]).get('/flaky').send();
    expect(res.status).toBe(200);
    for (const seen of [a, b]) {
      const [call] = seen.calls;
      expect(call?.call).toMatchObject({ connector: 'api', protocol: 'rest', name: 'GET /flaky' });
      expect(call?.events.map((e) => [e.name, e.attributes.attempt])).toEqual([['retry', 2]]);
      expect(call?.attempts.map((x) => [x.attempt, x.attributes, x.result?.ok, x.result?.attributes['http.response.status_code']])).toEqual([
        [1, {}, false, 503],
        [2, { 'http.request.resend_count': 1 }, true, 200],
      ]);
      expect(call?.result).toMatchObject({ ok: true, attributes: { 'http.response.status_code': 200 } });
      expect(call?.response?.body).toEqual({ fine: true });
    }
    for (const request of server.requests) {
      expect(request.headers).toMatchObject({ traceparent: a.propagation.traceparent, 'x-from': 'b', baggage: 'k=v' });
    }
  });

  test('observers that throw anywhere never break the call; the others still see it', async () => {
    server.route('GET', '/x', [status(503), json(200, {})]);
    const boom = (): never => {
      throw new Error('observer bug');
    };
    const throwing: Observer[] = [
      { startCall: boom },
      { startCall: () => ({ event: boom, attempt: boom, end: boom }) },
      { startCall: () => ({ event: () => undefined, attempt: () => ({ end: boom, run: boom, get propagation(): never { return boom(); } }), end: () => undefined }) },
      { startCall: () => ({ event: () => undefined, attempt: () => ({ end: () => undefined, run: async () => boom() }), end: () => undefined }) },
      { attach: boom },
    ];
    const good = recorder();
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const res = await connect([...throwing, good]).get('/x').send();
    const warned = warnings.mock.calls.map((c) => String(c[0]));
    warnings.mockRestore();
    expect(res.status).toBe(200);
    // Each broken hook is reported once, by name and error type, never with the error's message.
    for (const hook of ['startCall', 'event', 'attempt', 'propagation', 'run', 'end', 'attach']) expect(warned.filter((w) => w.includes(`failed in ${hook} (Error)`))).toHaveLength(1);
    expect(warned.join('\n')).not.toContain('observer bug');
    expect(server.requests).toHaveLength(2);
    expect(good.calls[0]?.attempts).toHaveLength(2);
    expect(good.calls[0]?.result?.ok).toBe(true);
  });

  test('an attempt runner that returns without running the attempt cannot skip it', async () => {
    server.route('GET', '/x', json(200, { ran: true }));
    const lazy: Observer = { startCall: () => ({ event: () => undefined, attempt: () => ({ end: () => undefined, run: async () => undefined as never }), end: () => undefined }) };
    const res = await connect([lazy]).get('/x').send();
    expect(res.body).toEqual({ ran: true });
    expect(server.requests).toHaveLength(1);
  });

  test('a thrown error ends the call with its code and a redacted message; attach sees breaker changes', async () => {
    server.route('GET', '/down', status(500));
    const seen = recorder();
    const changes: string[] = [];
    const watcher: Observer = { attach: (c) => void c.on('circuitStateChange', (e) => changes.push(`${c.connector}:${e.to}`)) };
    const c = connect([seen, watcher], { retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 1 } });
    await c.get('/down').send();
    await expect(c.get('/down').send()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(seen.attached.map((x) => [x.connector, x.protocol])).toEqual([['api', 'rest']]);
    expect(changes).toEqual(['api:open']);
    const refused = seen.calls[1];
    expect(refused?.attempts).toEqual([]);
    expect(refused?.events.map((e) => e.name)).toEqual(['circuit_breaker.rejected']);
    expect(refused?.result).toMatchObject({ ok: false, attributes: { 'error.type': 'CIRCUIT_OPEN' }, error: { code: 'CIRCUIT_OPEN' } });
    expect(refused?.result?.error?.message).toContain('circuit breaker');
  });
});

describe('redacted views of requests and responses', () => {
  test('credential headers are hidden, JSON stays JSON, and a body over 64 KiB is cut and marked truncated', async () => {
    const big = 'x'.repeat(70 * 1024);
    server.route('POST', '/items', json(201, { stored: big }));
    const seen = recorder();
    await connect([seen]).post('/items').headers({ authorization: 'Bearer abc-123-secret', 'x-request-id': 'r1' }).json({ name: 'widget', clientSecret: 'cs-1234' }).send();
    const [call] = seen.calls;
    expect(call?.request).toEqual({ headers: { authorization: '[REDACTED]', 'x-request-id': 'r1' }, body: { name: 'widget', clientSecret: '[REDACTED]' }, truncated: false });
    expect(call?.response?.truncated).toBe(true);
    expect(String(call?.response?.body)).toHaveLength(64 * 1024);
    expect(call?.response?.headers?.['content-type']).toContain('application/json');
  });
});
