import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, example, useSandboxFiles, useWorkdir } from './helpers.js';

const workdir = useWorkdir();
const sandboxes = useSandboxFiles(workdir);

async function setup() {
  const sandbox = await sandboxes.start();
  const secrets = [sandbox.credentials.clientSecret, sandbox.credentials.apiKey, ...Object.values(sandbox.env).filter((v): v is string => typeof v === 'string' && v.startsWith('sbx_'))];
  return { sandbox, cwd: await workdir.dir(), env: sandbox.env, secrets };
}

const userReport = example('user-report.pipeline.json');

describe('ia-connectors run --record / --replay / --report / --log-level', () => {
  it('records a run, then replays it with the services stopped and no secrets in the environment: same result', async () => {
    const { sandbox, cwd, env, secrets } = await setup();
    const recorded = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--json', '-q', '--record', 'cassettes'], { cwd, env });
    expect(recorded.code).toBe(0);
    expect(recorded.stderr).toContain('cassettes written to');
    const files = await readdir(join(cwd, 'cassettes'));
    expect(files).toContain('users_api.cassette.json');
    const cassetteText = (await Promise.all(files.map((f) => readFile(join(cwd, 'cassettes', f), 'utf8')))).join('\n');
    for (const secret of secrets) expect(cassetteText).not.toContain(secret);

    await sandbox.close();
    const replayed = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--json', '-q', '--replay', 'cassettes'], { cwd, env: {} });
    expect(replayed.stderr).not.toContain('error');
    expect(replayed.code).toBe(0);
    const strip = (text: string) => {
      const result = JSON.parse(text) as { outputs: unknown; steps: Record<string, { status: string; attempts?: number; result?: unknown }> };
      return { outputs: result.outputs, steps: Object.fromEntries(Object.entries(result.steps).map(([id, s]) => [id, { status: s.status, attempts: s.attempts, result: s.result }])) };
    };
    expect(strip(replayed.stdout)).toEqual(strip(recorded.stdout));
  });

  it('a replayed request that was never recorded fails with CASSETTE_MISS naming the closest recorded one', async () => {
    const { sandbox, cwd, env } = await setup();
    expect((await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '-q', '--record', 'cassettes'], { cwd, env })).code).toBe(0);
    await sandbox.close();
    const { code, stderr } = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '-q', '--replay', 'cassettes', '--param', 'username=linus'], { cwd, env: {} });
    expect(code).toBe(1);
    expect(stderr).toContain('CASSETTE_MISS');
    expect(stderr).toMatch(/closest recorded request is GET \/users\/ada/);
  });

  it('--report writes one self-contained page with one bar per request and no secret', async () => {
    const { cwd, env, secrets } = await setup();
    const { code, stderr } = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '-q', '--report', 'out/run.html'], { cwd, env });
    expect(code).toBe(0);
    expect(stderr).toMatch(/run report written to .*out\/run\.html/);
    const html = await readFile(join(cwd, 'out', 'run.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const data = JSON.parse(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}') as { calls?: unknown[]; steps?: unknown[] };
    expect(data.calls).toHaveLength(2);
    for (const secret of secrets) expect(html).not.toContain(secret);
  });

  it('--log-level writes pino-format JSON lines on stderr, redacted; silent by default', async () => {
    const { cwd, env, secrets } = await setup();
    const quiet = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '-q'], { cwd, env });
    expect(quiet.stderr.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
    const { code, stderr } = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--log-level', 'debug'], { cwd, env });
    expect(code).toBe(0);
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.some((l) => l.level === 20)).toBe(true);
    expect(lines.every((l) => typeof l.msg === 'string')).toBe(true);
    for (const secret of secrets) expect(stderr).not.toContain(secret);
  });

  it('rejects bad combinations and values with exit code 2 and the flag named', async () => {
    const { cwd, env } = await setup();
    const both = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--record', 'a', '--replay', 'b'], { cwd, env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--record and --replay');
    const level = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--log-level', 'loud'], { cwd, env });
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('--log-level');
    const queued = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--queue', 'redis://127.0.0.1:1', '--report', 'r.html'], { cwd, env });
    expect(queued.code).toBe(2);
    expect(queued.stderr).toContain('--report cannot be combined with --queue');
    const missing = await cli(['run', userReport, '-c', 'sandbox.connectors.yaml', '--replay', 'nowhere'], { cwd, env: {} });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--record/);
  });
});
