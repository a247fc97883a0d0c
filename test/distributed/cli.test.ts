import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { cli } from '../cli/helpers.js';
import { startRedis, startServer, status, type ScriptedServer, type TestRedis } from '../support/index.js';
import { connectorsYaml, fanOutPipeline, itemRoutes, until, withoutTimings, workdir } from './support.js';

// The commands in this process; the worker runs in-process too, stopped through its signal.
describe('ia-connectors worker, run --queue and status', () => {
  let redis: TestRedis;
  let server: ScriptedServer;
  let files: Awaited<ReturnType<typeof workdir>>;
  let connectors = '';
  const stop = new AbortController();
  const worker = { log: '', done: Promise.resolve(0) as Promise<number> };
  const env = (): Record<string, string> => ({ REDIS_URL: redis.url });

  beforeAll(async () => {
    [redis, server, files] = await Promise.all([startRedis(), startServer(), workdir()]);
    connectors = await files.write('c.yaml', connectorsYaml(server.url, 'in-process'));
    worker.done = runCli(['worker', '-c', connectors, '--redis', '${env:REDIS_URL}', '--name', 'in-process', '--concurrency', '2'], {
      stdout: { write: (t: string) => (worker.log += t) },
      stderr: { write: (t: string) => (worker.log += t) },
      env: env(),
      cwd: files.dir,
      signal: stop.signal,
    });
    await until(() => worker.log.includes('worker in-process ready'), 'the worker to be ready');
  });
  afterAll(async () => {
    if (!stop.signal.aborted) stop.abort();
    await worker.done;
    await Promise.all([redis.close(), server.close(), files.remove()]);
  });

  const run = (argv: string[]) => cli(argv, { cwd: files.dir, env: env() });

  it('refuses a missing, malformed or unset --redis with exit 2', async () => {
    const missing = await run(['worker', '-c', connectors]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--redis <url>' not specified") });
    expect((await run(['status', 'r1'])).code).toBe(2);
    const malformed = await run(['worker', '-c', connectors, '--redis', 'http://u:pw@cache:6379']);
    expect(malformed).toMatchObject({ code: 2, stderr: 'error CONFIG: --redis: http://***@cache:6379 is not a Redis URL; write redis://[user:password@]host[:port][/db] (rediss:// for TLS) or ${env:REDIS_URL}\n' });
    const unset = await cli(['status', 'r1', '--redis', '${env:QUEUE_URL}'], { cwd: files.dir, env: {} });
    expect(unset).toMatchObject({ code: 2, stderr: expect.stringContaining('${env:QUEUE_URL} is not set; export QUEUE_URL or change --redis') });
  });

  it('fails within the connect timeout when Redis is unreachable: exit 1, the URL shown without its password', async () => {
    const pipeline = await files.write('p.json', fanOutPipeline());
    const nowhere = 'redis://app:s3cret@127.0.0.1:1';
    const t0 = performance.now();
    const results = await Promise.all([
      run(['worker', '-c', connectors, '--redis', nowhere, '--connect-timeout', '1000']),
      run(['run', pipeline, '-c', connectors, '--queue', nowhere, '--connect-timeout', '1000']),
      run(['status', 'r1', '--redis', nowhere, '--connect-timeout', '1000']),
    ]);
    expect(performance.now() - t0).toBeLessThan(3000);
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error CONNECTION_REFUSED: Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 cannot be reached: connect ECONNREFUSED 127\.0\.0\.1:1; check that Redis runs there/);
      expect(result.stderr + result.stdout).not.toContain('s3cret');
    }
  });

  it('shows a running run, a finished one and an unknown id', async () => {
    const routes = itemRoutes(8, 150);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item);
    const pipeline = await files.write('slow.json', fanOutPipeline({ concurrency: 1 }));
    const queued = await run(['run', pipeline, '-c', connectors, '--queue', '${env:REDIS_URL}', '--detach']);
    expect(queued.code, queued.stderr).toBe(0);
    const runId = queued.stdout.trim();
    expect(queued.stderr).toBe(`run ${runId} queued on ${redis.url}\n`);

    let running = await run(['status', runId, '--redis', redis.url, '--json']);
    await until(async () => {
      running = await run(['status', runId, '--redis', redis.url, '--json']);
      return ((JSON.parse(running.stdout) as { steps: { items?: { done: number } }[] }).steps[1]?.items?.done ?? 0) >= 2;
    }, 'two items to be done');
    expect(JSON.parse(running.stdout)).toMatchObject({ runId, state: 'running', worker: 'in-process', stepsDone: 1, steps: [{ id: 'load', status: 'succeeded' }, { id: 'fan', status: 'running', items: { done: expect.any(Number), total: 8 } }] });
    const text = await run(['status', runId, '--redis', redis.url]);
    expect(text.stdout).toMatch(new RegExp(`^run ${runId}: running on in-process\\npipeline "Fan out", 1/2 steps done, enqueued \\S+\\n\\nSTEP  STATUS     ITEMS\\nload  succeeded  -\\nfan   running    [2-7]/8\\n$`));

    await until(async () => (await run(['status', runId, '--redis', redis.url, '--json'])).stdout.includes('"state": "succeeded"'), 'the run to finish');
    const finished = await run(['status', runId, '--redis', redis.url]);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/: succeeded in \d+(\.\d+)? m?s on in-process\n/);
    expect(finished.stdout).toContain('fan   succeeded  8/8');

    const unknown = await run(['status', 'no-such-run', '--redis', redis.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error UNKNOWN_RUN: no run "no-such-run" on the queue at redis:\/\/127\.0\.0\.1:\d+ \(prefix "ia-connectors"\)/);
  });

  it('prints and exits as a local run does: a failed step is 1, a template error is 2', async () => {
    const routes = itemRoutes(4, 5);
    server.route('GET', '/list', routes.list).route('POST', '/items/*', routes.item).route('POST', '/items/2', status(422));
    const failing = await files.write('failing.json', fanOutPipeline({ concurrency: 1 }));
    const broken = fanOutPipeline();
    (broken.steps[1]?.config as { step: { inputs: Record<string, string> } }).step.inputs = { id: '{{ item.ghost }}' };
    const template = await files.write('template.json', broken);

    for (const [file, expected] of [[failing, 1], [template, 2]] as const) {
      const remote = await run(['run', file, '-c', connectors, '--queue', redis.url, '--json']);
      const local = await run(['run', file, '-c', connectors, '--json']);
      expect([remote.code, local.code]).toEqual([expected, expected]);
      expect(withoutTimings(JSON.parse(remote.stdout))).toEqual(withoutTimings(JSON.parse(local.stdout)));
      expect(remote.stderr.split('\n').at(-2)).toBe(local.stderr.split('\n').at(-2));
    }
    const summary = await run(['run', failing, '-c', connectors, '--queue', redis.url, '-q']);
    expect(summary.stdout.split('\n')[0]).toBe('STEP  STATUS     DURATION  ATTEMPTS  ITEMS');
    expect(summary.stdout).toMatch(/\nload {2}succeeded +\d+ ms +1 +4\nfan {3}failed/);
    expect(summary.stderr).toMatch(/^run \S+ queued on redis:\/\/127\.0\.0\.1:\d+\nerror STEP: \S+failing\.json:\d+:\d+ step "fan": item 2 failed: step "fan\[2\]": POST \S+ answered 422, expected 2xx\n$/);
    const runId = /^run (\S+) queued/.exec(summary.stderr)?.[1] ?? '';
    const failedStatus = await run(['status', runId, '--redis', redis.url]);
    expect(failedStatus.code).toBe(1);
    expect(failedStatus.stdout).toContain('error STEP: step "fan": item 2 failed');
  });

  it('stops the worker cleanly on its signal', async () => {
    stop.abort();
    expect(await worker.done).toBe(0);
    expect(worker.log).toContain('worker in-process stopping: no new jobs; running runs go back to the queue, running items finish\n');
    expect(worker.log).toMatch(/\nworker in-process stopped\n$/);
  });
});
