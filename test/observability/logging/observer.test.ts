import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ConnectorEvents } from '../../../src/core/connector-events.js';
import { TypedEvents } from '../../../src/core/events.js';
import { logConnectorEvents } from '../../../src/observability/logging/connector-events.js';
import { jsonLogger } from '../../../src/observability/logging/json-logger.js';
import type { Logger } from '../../../src/observability/logging/logger.js';
import { loggerObserver } from '../../../src/observability/logging/observer.js';
import type { ObservedCall } from '../../../src/observability/observer.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import { json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { captureLines } from './capture.js';

const TOKEN = 'bearer-7f3a9c2e5b1d';

function call(overrides: Partial<ObservedCall> = {}): ObservedCall {
  return { connector: 'users', protocol: 'rest', name: 'GET /users/{id}', attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.test/users/1?access_token=qwerty123' }, startTime: Date.now(), ...overrides };
}

describe('loggerObserver driven through the Observer contract', () => {
  it('debug for call start, attempts and end; warn for the retry and a failed attempt chain; info for steps; stepId on call lines', async () => {
    const stream = captureLines();
    const observer = loggerObserver(jsonLogger({ level: 'debug', stream }));
    const step = observer.startStep?.({ stepId: 'fetch[2]', stepType: 'api_call', startTime: Date.now() });
    expect(step).toBeDefined();
    await step?.run(async () => {
      const c = observer.startCall?.(call());
      const first = c?.attempt(1, {});
      first?.end({ ok: false, attributes: { 'http.response.status_code': 503 }, error: { code: 'HTTP_STATUS', message: 'GET /users/{id} answered 503' } });
      c?.event('retry', { attempt: 2, 'retry.delay_ms': 100, 'retry.reason': 'status 503' });
      c?.event('rate_limit.wait', { 'rate_limit.wait_ms': 40 });
      c?.attempt(2, { 'http.request.resend_count': 1 }).end({ ok: true, attributes: { 'http.response.status_code': 200 } });
      c?.end({ ok: true, attributes: { 'http.response.status_code': 200 } });
    });
    step?.end({ status: 'succeeded', attempts: 2 });

    const summary = stream.lines.map((l) => [l.level, l.event]);
    expect(summary).toEqual([
      [30, 'step.start'],
      [20, 'call.start'],
      [20, 'attempt.start'],
      [20, 'attempt.end'],
      [40, 'retry'],
      [20, 'rate_limit.wait'],
      [20, 'attempt.start'],
      [20, 'attempt.end'],
      [20, 'call.end'],
      [30, 'step.end'],
    ]);
    expect(stream.lines[3]).toMatchObject({ connector: 'users', protocol: 'rest', name: 'GET /users/{id}', stepId: 'fetch[2]', attempt: 1, status: 503, ok: false, durationMs: expect.any(Number) });
    expect(stream.lines[4]?.msg).toBe('users GET /users/{id}: retry 2 in 100 ms (status 503)');
    expect(stream.lines[8]).toMatchObject({ attempts: 2, status: 200, ok: true, stepId: 'fetch[2]' });
    expect(stream.lines[9]).toMatchObject({ stepId: 'fetch[2]', stepType: 'api_call', status: 'succeeded', attempts: 2, durationMs: expect.any(Number) });
    expect(stream.raw.join('')).not.toContain('qwerty123');
  });

  it('at warn, writes only refusals and failures', () => {
    const stream = captureLines();
    const observer = loggerObserver(jsonLogger({ level: 'warn', stream }));
    const c = observer.startCall?.(call());
    c?.event('rate_limit.wait', { 'rate_limit.wait_ms': 5 });
    c?.event('circuit_breaker.rejected', { 'circuit_breaker.state': 'open' });
    c?.event('bulkhead.rejected', { 'bulkhead.active': 4, 'bulkhead.queued': 10 });
    c?.event('rate_limit.rejected', { 'rate_limit.wait_ms': 9000 });
    c?.attempt(1, {}).end({ ok: false, attributes: {}, error: { code: 'NETWORK', message: 'socket hang up' } });
    c?.end({ ok: false, attributes: {}, error: { code: 'CIRCUIT_OPEN', message: 'circuit open' } });
    expect(stream.lines.map((l) => [l.level, l.event])).toEqual([
      [40, 'circuit_breaker.rejected'],
      [40, 'bulkhead.rejected'],
      [40, 'rate_limit.rejected'],
      [40, 'call.end'],
    ]);
    expect(stream.lines[3]).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' } });
    const failed = observer.startStep?.({ stepId: 'load', stepType: 'api_call', startTime: Date.now() });
    failed?.end({ status: 'failed', error: { code: 'STEP', message: 'answered 404' } });
    expect(stream.lines.at(-1)).toMatchObject({ level: 40, event: 'step.end', status: 'failed', error: { code: 'STEP' } });
  });

  it('below warn (error, silent) observes nothing at all', () => {
    const start = vi.fn();
    for (const level of ['error', 'silent'] as const) {
      const observer = loggerObserver(jsonLogger({ level, stream: { write: start } }));
      expect(observer.startCall?.(call())).toBeUndefined();
      expect(observer.startStep?.({ stepId: 's', stepType: 'x', startTime: 0 })).toBeUndefined();
    }
    expect(start).not.toHaveBeenCalled();
  });
});

describe('loggerObserver on a real REST connector', () => {
  let server: ScriptedServer;
  let api: RestConnector | undefined;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await api?.disconnect();
    api = undefined;
    await server.close();
  });

  it('logs a 503 → 200 retry with the connector secret hidden, and its connector events', async () => {
    server.route('GET', '/users/ada', [status(503), json(200, { id: 'ada', echo: TOKEN })]);
    const stream = captureLines();
    const observer = loggerObserver(jsonLogger({ level: 'debug', stream }));
    api = createRestConnector({ name: 'users', baseUrl: server.url, auth: { type: 'bearer', token: TOKEN }, retry: { jitter: 'none', baseDelay: 5 } }, { observers: [observer] });
    const res = await api.get('/users/{id}', { params: { id: 'ada' } }).query({ access_token: 'query-secret-1' }).send();
    expect(res.status).toBe(200);
    const byEvent = (e: string) => stream.lines.filter((l) => l.event === e);
    expect(byEvent('attempt.end').map((l) => [l.attempt, l.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(byEvent('retry')).toEqual([expect.objectContaining({ level: 40, connector: 'users', protocol: 'rest', name: 'GET /users/{id}' })]);
    expect(byEvent('call.end')).toEqual([expect.objectContaining({ level: 20, attempts: 2, status: 200 })]);
    expect(byEvent('stateChange').length).toBeGreaterThan(0);
    const all = stream.raw.join('');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('query-secret-1');
  });

  it('a logger that throws on every line never breaks the call', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    onTestFinished(() => warning.mockRestore());
    server.route('GET', '/ok', [status(503), json(200, { fine: true })]);
    const explode = (): never => {
      throw new Error('logger down');
    };
    const broken: Logger = { trace: explode, debug: explode, info: explode, warn: explode, error: explode, fatal: explode, level: 'trace' };
    api = createRestConnector({ name: 'api', baseUrl: server.url, retry: { jitter: 'none', baseDelay: 5 } }, { observers: [loggerObserver(broken)] });
    const res = await api.get('/ok').send();
    expect(res.body).toEqual({ fine: true });
    expect(server.requests).toHaveLength(2);
  });
});

describe('logConnectorEvents', () => {
  it('logs breaker, auth, redirect and state events at their levels until disposed', () => {
    const stream = captureLines();
    const events = new TypedEvents<ConnectorEvents>();
    const handle = logConnectorEvents(events, jsonLogger({ level: 'debug', stream }));
    events.emit('stateChange', { connector: 'api', from: 'idle', to: 'connecting' });
    events.emit('circuitStateChange', { connector: 'api', from: 'closed', to: 'open', retryAt: 0 });
    events.emit('circuitStateChange', { connector: 'api', from: 'open', to: 'half_open', retryAt: undefined });
    events.emit('authRefresh', { connector: 'api', strategy: 'oauth2', reason: 'expired', ok: true, durationMs: 12 });
    events.emit('authRefresh', { connector: 'api', strategy: 'oauth2', reason: 'unauthorized', ok: false, durationMs: 3, error: { code: 'AUTH', message: 'invalid_client' } });
    events.emit('redirect', { connector: 'api', from: 'https://a.test/x', to: 'https://u:pw99@b.test/y?access_token=tok123', status: 302, crossOrigin: true });
    events.emit('retry', { connector: 'api', attempt: 2, delayMs: 10, reason: 'status 503' });
    handle.dispose();
    events.emit('stateChange', { connector: 'api', from: 'connected', to: 'closed' });
    expect(stream.lines.map((l) => [l.level, l.event])).toEqual([
      [20, 'stateChange'],
      [40, 'circuitStateChange'],
      [30, 'circuitStateChange'],
      [20, 'authRefresh'],
      [40, 'authRefresh'],
      [20, 'redirect'],
    ]);
    expect(stream.lines[1]?.msg).toBe('api: circuit breaker closed → open until 1970-01-01T00:00:00.000Z');
    expect(stream.raw.join('')).not.toMatch(/pw99|tok123/);
  });
});
