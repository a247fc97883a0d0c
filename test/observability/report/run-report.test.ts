import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import type { ObservedCall, ObservedMessage, Observer } from '../../../src/observability/observer.js';
import { Redactor } from '../../../src/observability/redact.js';
import { runReport } from '../../../src/observability/report/run-report.js';
import type { RunResult } from '../../../src/pipeline/run-types.js';
import { embeddedData } from './read-page.js';

const SECRET = 'tok_9f8e7d6c5b4a';
const INJECTION = '</script><img src=x onerror="window.__injected=1"><!--';

function call(name: string, overrides: Partial<ObservedCall> = {}): ObservedCall {
  return { connector: 'users', protocol: 'rest', name, attributes: { 'http.request.method': 'GET', 'url.full': `https://ada:pw-${SECRET}@api.test${name.split(' ')[1] ?? ''}?access_token=${SECRET}` }, startTime: Date.now(), ...overrides };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One step with a 503 → 200 call, then a foreach whose two items call concurrently. */
async function drive(observer: Observer, produced: { request: number; response: number }): Promise<void> {
  const request = (): ObservedMessage => {
    produced.request += 1;
    return { headers: { authorization: `Bearer ${SECRET}`, accept: 'application/json' }, body: { query: 'ada', apiKey: SECRET } };
  };
  const load = observer.startStep?.({ stepId: 'load', stepType: 'api_call', startTime: Date.now() });
  await load?.run(async () => {
    const c = observer.startCall?.({ ...call('GET /users/{id}'), request });
    const first = c?.attempt(1, {});
    await pause(2);
    first?.end({ ok: false, attributes: { 'http.response.status_code': 503 }, error: { code: 'HTTP_STATUS', message: 'answered 503' }, response: () => ({ headers: { 'retry-after': '1' }, body: 'busy' }) });
    c?.event('retry', { attempt: 2, 'retry.delay_ms': 3, 'retry.reason': 'status 503' });
    await pause(3);
    const second = c?.attempt(2, { 'http.request.resend_count': 1 });
    await pause(2);
    second?.end({ ok: true, attributes: { 'http.response.status_code': 200 } });
    expect(produced).toEqual({ request: 0, response: 0 });
    c?.end({
      ok: true,
      attributes: { 'http.response.status_code': 200 },
      response: () => {
        produced.response += 1;
        return { headers: { 'set-cookie': `sid=${SECRET}`, 'content-type': 'application/json' }, body: { id: 'ada', note: INJECTION, token: SECRET } };
      },
    });
  });
  load?.end({ status: 'succeeded', attempts: 2 });

  const items = [1, 2].map((i) => observer.startStep?.({ stepId: `fetch[${i}]`, stepType: 'foreach_item', startTime: Date.now() }));
  await Promise.all(
    items.map((item, i) =>
      item?.run(async () => {
        await pause(1);
        const c = observer.startCall?.(call(`GET /posts/${i}`, { connector: 'posts' }));
        c?.event('rate_limit.wait', { 'rate_limit.wait_ms': 2 });
        await pause(2);
        const a = c?.attempt(1, {});
        await pause(1);
        if (i === 0) {
          a?.end({ ok: true, attributes: { 'http.response.status_code': 200 } });
          c?.end({ ok: true, attributes: { 'http.response.status_code': 200 } });
        } else {
          a?.end({ ok: false, attributes: {}, error: { code: 'NETWORK', message: `reset while sending ${SECRET}` } });
          c?.event('circuit_breaker.rejected', { 'circuit_breaker.state': 'open' });
          c?.end({ ok: false, attributes: {}, error: { code: 'CIRCUIT_OPEN', message: 'circuit open' } });
        }
      }),
    ),
  );
  items[0]?.end({ status: 'succeeded' });
  items[1]?.end({ status: 'failed', error: { code: 'CIRCUIT_OPEN', message: 'circuit open' } });
  // A call outside any step.
  observer.startCall?.(call('GET /health', { connector: 'status' }))?.end({ ok: true, attributes: { 'http.response.status_code': 204 } });
}

const RESULT: RunResult = {
  status: 'failed',
  outputs: {},
  durationMs: 40,
  steps: {
    load: { status: 'succeeded', attempts: 2 },
    'fetch[1]': { status: 'succeeded' },
    'fetch[2]': { status: 'failed' },
    notify: { status: 'skipped', reason: 'condition steps.load.result.ok was false' },
  },
  error: { code: 'CIRCUIT_OPEN', message: 'circuit open', stepId: 'fetch[2]' },
};

describe('runReport', () => {
  it('records steps and calls attributed to the step they ran in, with attempts, events and lazily captured messages', async () => {
    const report = runReport({ redactor: new Redactor({ secrets: [SECRET] }) });
    const produced = { request: 0, response: 0 };
    await drive(report.observer, produced);
    expect(produced).toEqual({ request: 1, response: 1 });
    const data = embeddedData(report.render(RESULT, { pipeline: 'user-report' }));

    expect(data.title).toBe('Run report: user-report');
    expect(data.status).toBe('failed');
    expect(data.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['load', 'succeeded'],
      ['fetch[1]', 'succeeded'],
      ['fetch[2]', 'failed'],
      ['notify', 'skipped'],
    ]);
    expect(data.steps[3]).toMatchObject({ reason: 'condition steps.load.result.ok was false' });
    const stepOf = (callId: string) => data.steps.find((s) => s.key === data.calls.find((c) => c.id === callId)?.step)?.stepId ?? null;
    expect(data.calls.map((c) => [c.connector, c.name, stepOf(c.id)])).toEqual([
      ['users', 'GET /users/{id}', 'load'],
      ['posts', 'GET /posts/0', 'fetch[1]'],
      ['posts', 'GET /posts/1', 'fetch[2]'],
      ['status', 'GET /health', null],
    ]);
    const [retried, , rejected] = data.calls;
    expect(retried?.attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 503, false],
      [2, 200, true],
    ]);
    expect(retried?.attempts[0]?.response).toEqual({ headers: { 'retry-after': '1' }, body: 'busy' });
    expect(retried?.events).toEqual([{ name: 'retry', time: expect.any(Number), attributes: { attempt: 2, 'retry.delay_ms': 3, 'retry.reason': 'status 503' } }]);
    const [a1, a2] = retried?.attempts ?? [];
    expect((a1?.end ?? 0) <= (retried?.events[0]?.time ?? -1) && (retried?.events[0]?.time ?? 0) <= (a2?.start ?? -1)).toBe(true);
    expect(retried?.request?.headers).toEqual({ authorization: '[REDACTED]', accept: 'application/json' });
    expect(retried?.response?.body).toEqual({ id: 'ada', note: INJECTION, token: '[REDACTED]' });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' }, events: [{ name: 'rate_limit.wait' }, { name: 'circuit_breaker.rejected' }] });
    expect(data.counts).toEqual({ steps: 4, succeeded: 2, failed: 1, skipped: 1, calls: 4, failedCalls: 1, attempts: 4, retries: 1, waits: 2, rejections: 1 });
    expect(data.error).toEqual({ code: 'CIRCUIT_OPEN', message: 'circuit open', stepId: 'fetch[2]' });
  });

  it('never puts a secret or raw markup from recorded data into the page', async () => {
    const report = runReport({ redactor: new Redactor({ secrets: [SECRET] }) });
    await drive(report.observer, { request: 0, response: 0 });
    const html = report.render(RESULT, { pipeline: `<b>${SECRET}</b>` });
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain(encodeURIComponent(SECRET));
    expect(html).not.toContain('pw-');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    // The only closing script tags are the page's own two.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(embeddedData(html).calls[0]?.response?.body).toMatchObject({ note: INJECTION });
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('keeps only maxCalls calls, says how many were left out, and cuts bodies to maxBodyBytes', () => {
    const report = runReport({ maxCalls: 3, maxBodyBytes: 100 });
    for (let i = 0; i < 5; i++) {
      report.observer.startCall?.(call(`GET /items/${i}`))?.end({ ok: true, attributes: {}, response: () => ({ body: { text: 'x'.repeat(1000) } }) });
    }
    const html = report.render();
    const data = embeddedData(html);
    expect(data.calls).toHaveLength(3);
    expect(data.omitted.calls).toBe(2);
    expect(data.counts.calls).toBe(5);
    expect(html).toContain('Showing the first 3 requests; 2 more were made but not recorded');
    const body = data.calls[0]?.response?.body;
    expect(typeof body === 'string' && body.length).toBe(101);
    expect(data.calls[0]?.response?.truncated).toBe(true);
  });

  it('stops keeping bodies once the total budget is spent and says so', () => {
    const report = runReport({ maxBodyBytes: 50, maxTotalBodyBytes: 120 });
    for (let i = 0; i < 4; i++) report.observer.startCall?.(call(`GET /b/${i}`))?.end({ ok: true, attributes: {}, response: () => ({ body: 'y'.repeat(50) }) });
    const data = embeddedData(report.render());
    expect(data.calls.map((c) => (c.response?.body as string).length)).toEqual([50, 50, 21, 48]);
    expect(data.omitted.bodies).toBe(1);
  });

  it('a message producer that throws leaves the message out without breaking the call', () => {
    const report = runReport();
    const c = report.observer.startCall?.({
      ...call('GET /x'),
      request: () => {
        throw new Error('cannot describe');
      },
    });
    expect(() => c?.end({ ok: true, attributes: {} })).not.toThrow();
    expect(embeddedData(report.render()).calls[0]?.request).toBeUndefined();
  });

  it('writes the page to a file, creating its folder, and refuses bad limits with CONFIG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ia-report-'));
    try {
      const report = runReport();
      const path = await report.write(join(dir, 'nested', 'report.html'), RESULT, { title: 'Nightly' });
      const html = await readFile(path, 'utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<title>Nightly</title>');
      await expect(report.write(join(path, 'inside-a-file.html'))).rejects.toThrow(/run report: cannot write .*give a writable file path/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    let caught: unknown;
    try {
      runReport({ maxCalls: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isConnectorError(caught) && caught.code).toBe('CONFIG');
    expect((caught as Error).message).toContain('maxCalls');
  });
});
