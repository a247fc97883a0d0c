import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runStatus } from '../../src/distributed/status.js';
import { cli } from '../cli/helpers.js';
import { startRedis, startServer, type ScriptedServer, type TestRedis } from '../support/index.js';
import { connectorsYaml, fanOutPipeline, itemRequests, itemRoutes, spawnWorker, until, withoutTimings, workdir, type WorkerProcess } from './support.js';

// Real worker processes (the compiled CLI) sharing a real redis-server.
describe('distributed runs on worker processes', () => {
  let redis: TestRedis;
  let server: ScriptedServer;
  let files: Awaited<ReturnType<typeof workdir>>;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    [redis, server, files] = await Promise.all([startRedis(), startServer(), workdir()]);
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    workers = [];
    server.reset();
  });
  afterAll(async () => {
    await Promise.all([redis.close(), server.close(), files.remove()]);
  });

  const startWorkers = async (): Promise<Record<string, string>> => {
    const paths: Record<string, string> = {};
    for (const name of ['A', 'B', 'local']) paths[name] = await files.write(`${name}.connectors.yaml`, connectorsYaml(server.url, name));
    workers = ['A', 'B'].map((name) => spawnWorker(name, paths[name] ?? '', redis.url));
    await Promise.all(workers.map((w) => w.ready));
    return paths;
  };

  it('spreads foreach items over both workers and gives the result a local run gives', async () => {
    const routes = itemRoutes(16, 60);
    server.route('GET', '/list', routes.list).route('*', '/items/*', routes.item);
    const paths = await startWorkers();
    const pipeline = await files.write('fan.pipeline.json', fanOutPipeline());

    const queued = await cli(['run', pipeline, '-c', paths['A'] ?? '', '--queue', redis.url, '--json'], { cwd: files.dir });
    const distributedBy = new Set(itemRequests(server.requests).map((r) => r.worker));
    server.reset();
    server.route('GET', '/list', routes.list).route('*', '/items/*', routes.item);
    const local = await cli(['run', pipeline, '-c', paths['local'] ?? '', '--json'], { cwd: files.dir });

    expect(queued.code, queued.stderr).toBe(0);
    expect(local.code, local.stderr).toBe(0);
    expect(distributedBy).toEqual(new Set(['A', 'B']));
    expect(queued.stderr).toMatch(/^run [0-9a-f-]{36} queued on redis:\/\/127\.0\.0\.1:\d+$/m);
    expect(queued.stderr).toContain('step fan 16/16 items done');
    expect(withoutTimings(JSON.parse(queued.stdout))).toEqual(withoutTimings(JSON.parse(local.stdout)));
  });

  it('loses and repeats no item when a worker is killed mid-run: each POST key names one item', async () => {
    const routes = itemRoutes(40, 250);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item);
    const paths = await startWorkers();
    const pipeline = await files.write('kill.pipeline.json', fanOutPipeline({ concurrency: 8 }));

    const run = cli(['run', pipeline, '-c', paths['A'] ?? '', '--queue', redis.url, '--run-id', 'kill-test', '--json'], { cwd: files.dir });
    await until(() => itemRequests(server.requests).length >= 12, 'items to be in flight');
    // Kill the worker running the run job itself: its items and the run must both move on.
    const holder = (await runStatus('kill-test', { redis: redis.url })).worker;
    const victim = workers.find((w) => w.name === holder);
    expect(victim).toBeDefined();
    await victim?.stop('SIGKILL');
    const { code, stdout, stderr } = await run;

    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/run resumed by worker [AB] \(attempt 2\)/);
    const result = JSON.parse(stdout) as { outputs: { items: { path: string; received: { index: number } }[] } };
    expect(result.outputs.items.map((r) => r.path)).toEqual(Array.from({ length: 40 }, (_, i) => `/items/${i}`));
    expect(result.outputs.items.map((r) => r.received.index)).toEqual(Array.from({ length: 40 }, (_, i) => i));

    const requests = itemRequests(server.requests);
    const itemsOfKey = new Map<string, Set<number>>();
    for (const { key, index } of requests) itemsOfKey.set(String(key), (itemsOfKey.get(String(key)) ?? new Set()).add(index));
    expect([...itemsOfKey.values()].every((items) => items.size === 1)).toBe(true);
    expect(new Set(requests.map((r) => r.index)).size).toBe(40);
    expect([...itemsOfKey.keys()].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `kill-test.fan.${i}`).sort());
    // The killed worker's items in flight were sent again, with the same keys.
    expect(requests.length).toBeGreaterThan(40);
    const status = await runStatus('kill-test', { redis: redis.url });
    expect(status).toMatchObject({ state: 'succeeded', attempts: 2, stepsDone: 2 });
    expect(status.steps[1]).toEqual({ id: 'fan', status: 'succeeded', items: { done: 40, total: 40 } });
  });

  it('stops on SIGTERM: the run goes back to the queue and another worker finishes it', async () => {
    const routes = itemRoutes(16, 150);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item);
    const paths = await startWorkers();
    const pipeline = await files.write('term.pipeline.json', fanOutPipeline({ concurrency: 4 }));

    const run = cli(['run', pipeline, '-c', paths['A'] ?? '', '--queue', redis.url, '--run-id', 'term-test', '--json'], { cwd: files.dir });
    await until(() => itemRequests(server.requests).length >= 4, 'items to be in flight');
    const status = await runStatus('term-test', { redis: redis.url });
    const victim = workers.find((w) => w.name === status.worker);
    const exitCode = await victim?.stop('SIGTERM');
    const { code, stdout, stderr } = await run;

    expect(exitCode).toBe(0);
    expect(victim?.log()).toContain(`worker ${status.worker ?? ''} stopped`);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain('run failed');
    expect(stderr).toMatch(/run resumed by worker [AB] \(attempt 2\), 1 finished steps kept/);
    const result = JSON.parse(stdout) as { outputs: { items: { path: string }[] } };
    expect(result.outputs.items.map((r) => r.path)).toEqual(Array.from({ length: 16 }, (_, i) => `/items/${i}`));
    // Running items finished on the stopping worker: nothing was sent twice.
    expect(itemRequests(server.requests).map((r) => r.key).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `term-test.fan.${i}`).sort());
  });
});
