import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRun, followRun, runStatus, startWorker, type DistributedRunEvent, type DistributedWorker } from '../../src/distributed/index.js';
import { openRedis } from '../../src/distributed/connect.js';
import { createStepRegistry, runPipeline } from '../../src/pipeline/index.js';
import { createRegistry } from '../../src/registry/create.js';
import type { ConnectorRegistry } from '../../src/registry/registry.js';
import { json, startRedis, startServer, status, type ScriptedServer, type TestRedis } from '../support/index.js';
import { fanOutPipeline, itemRequests, itemRoutes, withoutTimings } from './support.js';

// The library API with workers in this process: fast checks of what the worker processes do.
describe('distributed runs through the library', () => {
  let redis: TestRedis;
  let server: ScriptedServer;
  let registry: ConnectorRegistry;
  let workers: DistributedWorker[] = [];
  let prefix = '';
  let n = 0;

  beforeAll(async () => {
    [redis, server] = await Promise.all([startRedis(), startServer()]);
    registry = createRegistry([{ name: 'api', baseUrl: server.url }]);
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.close()));
    workers = [];
    server.reset();
  });
  afterAll(async () => {
    await registry.closeAll();
    await Promise.all([redis.close(), server.close()]);
  });

  // Each test has its own queues, so a run never meets another test's worker.
  const target = () => ({ redis: redis.url, prefix });
  const worker = async (options: Partial<Parameters<typeof startWorker>[0]> = {}) => {
    const w = await startWorker({ ...target(), connectors: registry, concurrency: 4, lockDurationMs: 1000, stalledIntervalMs: 500, ...options });
    workers.push(w);
    return w;
  };
  const fresh = () => {
    prefix = `t${++n}`;
  };

  it('gives the result a local run gives, and streams the run events in order', async () => {
    fresh();
    const routes = itemRoutes(6, 10);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item).route('POST', '/audit', json(201, { ok: true }));
    const pipeline = fanOutPipeline({ concurrency: 2 });
    pipeline.steps.push({ id: 'audit', type: 'api_call', config: { connector: 'api', method: 'POST', endpoint: '/audit' } } as never);
    pipeline.flow.paths.push({ from: 'fan', to: 'audit' });
    await worker();

    const { runId } = await enqueueRun({ ...target(), pipeline, runId: 'lib-1' });
    const events: DistributedRunEvent[] = [];
    const remote = await followRun(runId, { ...target(), onEvent: (e) => events.push(e) });
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    const local = await runPipeline(pipeline, { connectors: registry });

    expect(withoutTimings(remote)).toEqual(withoutTimings(local));
    expect(events.map((e) => e.type).filter((t) => t !== 'items')).toEqual([
      'run_started', 'step_started', 'step_finished', 'step_started', 'step_finished', 'step_started', 'step_finished', 'run_finished',
    ]);
    expect(events.filter((e) => e.type === 'items').at(-1)).toEqual({ type: 'items', completed: 6, total: 6, stepId: 'fan' });
    // Fan-out items and plain steps alike carry a key naming their work.
    expect(keys).toEqual([undefined, ...Array.from({ length: 6 }, () => expect.stringMatching(/^lib-1\.fan\.[0-5]$/)), 'lib-1.audit']);
    expect(new Set(keys).size).toBe(8);
  });

  it('fails the foreach step on the first failed item, starts no new items after it, as a local run does', async () => {
    fresh();
    const routes = itemRoutes(12, 20);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item).route('POST', '/items/3', status(422));
    await worker();
    const pipeline = fanOutPipeline({ concurrency: 2 });

    const { runId } = await enqueueRun({ ...target(), pipeline });
    const remote = await followRun(runId, target());
    const sent = new Set(itemRequests(server.requests).map((r) => r.index)).size;
    const local = await runPipeline(pipeline, { connectors: registry });

    expect(remote.status).toBe('failed');
    expect(remote.error).toEqual(local.error);
    expect(remote.error?.message).toMatch(/^step "fan": item 3 failed: step "fan\[3\]": POST http:\/\/127\.0\.0\.1:\d+\/items\/3 answered 422, expected 2xx$/);
    expect(sent).toBeLessThan(12);
    expect(await runStatus(runId, target())).toMatchObject({ state: 'failed', error: { stepId: 'fan', code: 'STEP' } });
  });

  it('reports a run its workers cannot run (an unknown step type) as failed, with the code of a local run', async () => {
    fresh();
    await worker();
    const steps = createStepRegistry().register('shout', async (ctx) => ({ result: String(ctx.inputs['text']).toUpperCase() }));
    const pipeline = { name: 'custom', steps: [{ id: 'a', type: 'shout', inputs: { text: 'hi' }, config: {} }], flow: { start_at: 'a' } };
    const { runId } = await enqueueRun({ ...target(), pipeline, steps });
    const result = await followRun(runId, target());
    expect(result).toMatchObject({ status: 'failed', error: { code: 'PIPELINE', message: expect.stringContaining('unknown step type "shout"') } });
  });

  it('shows a queued run, refuses a run id in use, and does not know a run it never saw', async () => {
    fresh();
    const routes = itemRoutes(2, 1);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item);
    await enqueueRun({ ...target(), pipeline: fanOutPipeline(), runId: 'waiting' });
    expect(await runStatus('waiting', target())).toMatchObject({
      state: 'queued',
      pipeline: 'Fan out',
      stepsDone: 0,
      steps: [{ id: 'load', status: 'pending' }, { id: 'fan', status: 'pending' }],
    });
    await expect(enqueueRun({ ...target(), pipeline: fanOutPipeline(), runId: 'waiting' })).rejects.toThrow(/run id "waiting" is already in use/);
    await expect(runStatus('nobody', target())).rejects.toMatchObject({ code: 'UNKNOWN_RUN', message: expect.stringContaining('no run "nobody" on the queue at redis://127.0.0.1') });

    await worker();
    const done = await followRun('waiting', target());
    expect(done.status).toBe('succeeded');
    expect(await runStatus('waiting', target())).toMatchObject({ state: 'succeeded', stepsDone: 2, steps: [{ status: 'succeeded' }, { status: 'succeeded', items: { done: 2, total: 2 } }] });
  });

  it('checks the pipeline, parameters and run id before it touches Redis', async () => {
    const nowhere = { redis: 'redis://127.0.0.1:1' };
    await expect(enqueueRun({ ...nowhere, pipeline: { name: 'x', steps: [], flow: { start_at: 'a' } } })).rejects.toMatchObject({ code: 'PIPELINE' });
    await expect(enqueueRun({ ...nowhere, pipeline: fanOutPipeline(), runId: '12' })).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('hands a running run back when its worker closes; another worker resumes it from the checkpoint', async () => {
    fresh();
    const routes = itemRoutes(8, 100);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item);
    const first = await worker({ name: 'first' });
    const { runId } = await enqueueRun({ ...target(), pipeline: fanOutPipeline({ concurrency: 2 }) });
    const events: DistributedRunEvent[] = [];
    const following = followRun(runId, { ...target(), onEvent: (e) => events.push(e) });
    while (itemRequests(server.requests).length < 2) await new Promise((r) => setTimeout(r, 10));
    await first.close();
    await worker({ name: 'second' });
    const result = await following;

    expect(result.status).toBe('succeeded');
    expect(events).toContainEqual({ type: 'run_resumed', attempt: 2, worker: 'second', restoredSteps: ['load'] });
    expect(events.filter((e) => e.type === 'run_finished')).toEqual([{ type: 'run_finished', status: 'succeeded', durationMs: expect.any(Number) }]);
    expect(server.requests.filter((r) => r.url === '/list')).toHaveLength(1);
    expect(itemRequests(server.requests).map((r) => r.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await runStatus(runId, target())).toMatchObject({ attempts: 2, worker: 'second' });
  });

  it('fails fast with a typed error when Redis is not there, never showing the password', async () => {
    const t0 = performance.now();
    const error = await openRedis({ redis: `redis://app:s3cret@127.0.0.1:1`, connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', message: expect.stringContaining('Redis at redis://***@127.0.0.1:1 cannot be reached') });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });

  it('stops following on abort, leaving the run to the workers', async () => {
    fresh();
    server.route('GET', '/list', itemRoutes(1, 1).list);
    await enqueueRun({ ...target(), pipeline: fanOutPipeline(), runId: 'unattended' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(followRun('unattended', { ...target(), signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await runStatus('unattended', target())).state).toBe('queued');
  });
});
