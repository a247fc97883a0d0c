import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../../src/core/types.js';
import { withIdempotencyKeys } from '../../src/distributed/idempotency-keys.js';
import { assertRunId, itemJobId, parseItemJobId, runKeys } from '../../src/distributed/keys.js';
import { checkRedisUrl, redactRedisUrl, resolveRedisUrl } from '../../src/policies/stores/redis/redis-url.js';
import { Waker } from '../../src/distributed/waker.js';
import { checkWorkerSettings, WORKER_DEFAULTS } from '../../src/distributed/worker-settings.js';
import { createStepRegistry, runPipeline, type StepRecord } from '../../src/pipeline/index.js';

describe('Redis URLs', () => {
  it('never shows a password', () => {
    expect(redactRedisUrl('redis://:s3cret@cache:6379/2')).toBe('redis://***@cache:6379/2');
    expect(redactRedisUrl('rediss://app:s3cret@cache.example.com')).toBe('rediss://***@cache.example.com');
    expect(redactRedisUrl('redis://cache:6379?password=s3cret')).not.toContain('s3cret');
    expect(redactRedisUrl('s3cret')).not.toContain('s3cret');
    expect(redactRedisUrl('redis://cache:6379')).toBe('redis://cache:6379');
  });

  it('accepts redis:// and rediss://, refuses the rest with the expected form and without the password', () => {
    expect(checkRedisUrl('redis://127.0.0.1:6379', '--redis')).toBe('redis://127.0.0.1:6379');
    expect(() => checkRedisUrl('http://u:s3cret@cache:6379', '--redis')).toThrow(/--redis: http:\/\/\*\*\*@cache:6379 is not a Redis URL; write redis:\/\//);
    expect(() => checkRedisUrl('cache:6379', '--redis')).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('resolves ${env:NAME}, and names a missing variable without guessing its value', async () => {
    await expect(resolveRedisUrl('${env:REDIS_URL}', { env: { REDIS_URL: 'redis://:pw@cache:6379' } })).resolves.toBe('redis://:pw@cache:6379');
    await expect(resolveRedisUrl('${env:REDIS_URL}', { env: {}, option: '--redis' })).rejects.toThrow(/\$\{env:REDIS_URL\} is not set; export REDIS_URL or change --redis/);
  });
});

describe('run ids and keys', () => {
  it('takes letters, digits, _ and -, but not a bare number or a colon', () => {
    expect(() => assertRunId('nightly-2025_01')).not.toThrow();
    for (const bad of ['42', 'a:b', 'a.b', '', 'x'.repeat(129)]) expect(() => assertRunId(bad), bad).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('names an item job by run, step and index, and reads the name back from a job key', () => {
    expect(itemJobId('r-1', 'fan_out', 12)).toBe('r-1.fan_out.12');
    expect(parseItemJobId('ia-connectors:items:r-1.fan_out.12')).toEqual({ runId: 'r-1', stepId: 'fan_out', index: 12 });
    expect(parseItemJobId('r-1')).toBeUndefined();
    expect(runKeys('p', 'r-1').items('fan')).toBe('p:run:r-1:step:fan');
  });
});

describe('worker settings', () => {
  it('refuses numbers out of bounds, naming the setting', () => {
    expect(checkWorkerSettings({ ...WORKER_DEFAULTS })).toEqual(WORKER_DEFAULTS);
    expect(() => checkWorkerSettings({ ...WORKER_DEFAULTS, concurrency: 0 })).toThrow(/concurrency: 0 is not a whole number from 1 to 1000/);
    expect(() => checkWorkerSettings({ ...WORKER_DEFAULTS, lockDurationMs: 1.5 })).toThrow(/lockDurationMs/);
  });
});

describe('Waker', () => {
  it('wakes a waiter at once, and otherwise lets the interval pass', async () => {
    const waker = new Waker();
    const t0 = performance.now();
    const woken = waker.wait('r.fan', 5000);
    waker.wake('r.other');
    waker.wake('r.fan');
    await woken;
    expect(performance.now() - t0).toBeLessThan(1000);
    const t1 = performance.now();
    await waker.wait('r.fan', 30);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(25);
    const aborted = AbortSignal.abort();
    await waker.wait('r.fan', 5000, aborted);
  });
});

describe('withIdempotencyKeys', () => {
  const recorder = (protocol?: string) => {
    const sent: ApiRequest[] = [];
    const connector = {
      ...(protocol ? { config: { protocol } } : {}),
      execute: async (request: ApiRequest) => {
        sent.push(request);
        return { status: 200, ok: true, headers: {}, body: null, url: '', durationMs: 0, attempts: 1 } as unknown as ApiResponse;
      },
    };
    return { sent, lookup: { get: async () => connector } };
  };

  it('gives POST and PATCH the key (then key.2, key.3), leaves GET and a key the step set alone', async () => {
    const { sent, lookup } = recorder('rest');
    const api = await withIdempotencyKeys(lookup, 'run.fan.3').get('api');
    await api.execute({ method: 'POST', endpoint: '/a' });
    await api.execute({ method: 'GET', endpoint: '/b' });
    await api.execute({ method: 'PATCH', endpoint: '/c', headers: { accept: 'x' } });
    await api.execute({ method: 'POST', endpoint: '/d', headers: { 'IDEMPOTENCY-KEY': 'mine' } });
    expect(sent.map((r) => r.headers)).toEqual([{ 'Idempotency-Key': 'run.fan.3' }, undefined, { accept: 'x', 'Idempotency-Key': 'run.fan.3.2' }, { 'IDEMPOTENCY-KEY': 'mine' }]);
    expect((api as unknown as { config: unknown }).config).toEqual({ protocol: 'rest' });
  });

  it('hands out connectors of other protocols unchanged', async () => {
    const { lookup } = recorder('grpc');
    const original = await lookup.get();
    expect(await withIdempotencyKeys(lookup, 'k').get('x')).toBe(original);
  });
});

describe('run checkpoints', () => {
  const pipeline = {
    name: 'checkpointed',
    steps: [
      { id: 'a', type: 'count', config: {} },
      { id: 'b', type: 'count', inputs: { from: '{{ a }}' }, config: {} },
      { id: 'c', type: 'count', inputs: { from: '{{ b }}' }, config: {} },
    ],
    flow: { start_at: 'a', paths: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] },
    outputs: { last: '{{ c }}' },
  };
  const counting = () => {
    const ran: string[] = [];
    const steps = createStepRegistry().register('count', async (ctx) => {
      ran.push(ctx.stepId);
      return { result: Number(ctx.inputs['from'] ?? 0) + 1 };
    });
    return { ran, steps };
  };

  it('saves each finished step and, given the records, resumes without running them again', async () => {
    const saved = new Map<string, StepRecord>();
    const first = counting();
    const full = await runPipeline(pipeline, { connectors: { get: () => Promise.reject(new Error('none')) }, steps: first.steps, checkpoint: { save: async (id, r) => void saved.set(id, JSON.parse(JSON.stringify(r)) as StepRecord) } });
    expect([...saved.keys()]).toEqual(['a', 'b', 'c']);

    saved.delete('c');
    const again = counting();
    const events: string[] = [];
    const resumed = await runPipeline(pipeline, {
      connectors: { get: () => Promise.reject(new Error('none')) },
      steps: again.steps,
      checkpoint: { restored: Object.fromEntries(saved), save: async () => {} },
      onEvent: (e) => events.push(`${e.type}${'stepId' in e ? ` ${e.stepId}` : ''}`),
    });
    expect(again.ran).toEqual(['c']);
    expect(resumed.outputs).toEqual(full.outputs);
    expect(resumed.steps['a']).toEqual(saved.get('a'));
    expect(events).toEqual(['run_started', 'step_started c', 'step_finished c', 'run_finished']);
  });

  it('fails the run when a record cannot be saved, and starts nothing after it', async () => {
    const { ran, steps } = counting();
    const result = await runPipeline(pipeline, {
      connectors: { get: () => Promise.reject(new Error('none')) },
      steps,
      checkpoint: { save: async (id) => (id === 'a' ? Promise.reject(new Error('store gone')) : undefined) },
    });
    expect(ran).toEqual(['a']);
    expect(result.error).toMatchObject({ stepId: 'a', message: 'step "a": its checkpoint could not be saved: store gone' });
    expect(result.steps['b']).toMatchObject({ status: 'skipped' });
  });

  it('restores a failed step as the run failure', async () => {
    const { ran, steps } = counting();
    const failed: StepRecord = { status: 'failed', error: { code: 'STEP', message: 'step "a": boom' } };
    const result = await runPipeline(pipeline, { connectors: { get: () => Promise.reject(new Error('none')) }, steps, checkpoint: { restored: { a: failed }, save: async () => {} } });
    expect(ran).toEqual([]);
    expect(result).toMatchObject({ status: 'failed', error: { stepId: 'a', message: 'step "a": boom' } });
  });
});
