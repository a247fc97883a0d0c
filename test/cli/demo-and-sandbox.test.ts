import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_PORTS, sandboxConnectorsYaml, sandboxUrls } from '../../src/sandbox/index.js';
import { cli, example, useWorkdir } from './helpers.js';

const workdir = useWorkdir();

describe('ia-connectors demo', () => {
  it('runs the bundled pipeline against the sandbox: exit 0, a summary, retries and waits visible', async () => {
    const started = performance.now();
    const { code, stdout, stderr } = await cli(['demo'], { cwd: await workdir.dir() });
    expect(stderr).not.toMatch(/^error/m);
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(stdout).toMatch(/^ia-connectors demo: "Sandbox tour" against the sandbox$/m);
    expect(stdout).toMatch(/^STEP +STATUS +DURATION +ATTEMPTS +ITEMS$/m);
    expect(stdout).toMatch(/^list_users +succeeded +\d+ ms +3 +7$/m);
    expect(stdout).toMatch(/^warm_up +succeeded +\d+ ms +3 +-$/m);
    expect(stdout).toMatch(/^5 steps: 5 succeeded \| \d+ requests \| [1-9]\d* retries \| [1-9]\d* rate-limit waits \(/m);
    expect(stdout).toContain('  service: "recovered"');
    expect(stderr).toMatch(/^auth users_api: oauth2 credentials fetched/m);
    expect(stderr).toMatch(/^retry catalog: attempt 2 in \d+ ms \(status 503\)$/m);
    expect(stderr).toMatch(/^retry catalog: attempt 2 in 1\.00 s \(status 429\)$/m);
    expect(stderr).toMatch(/^step list_users page 3: 1 item$/m);
  });

  it('--json prints only the result', async () => {
    const { code, stdout } = await cli(['demo', '--json', '--quiet', '--param', 'include_usage=false'], { cwd: await workdir.dir() });
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: string; steps: Record<string, { attempts?: number }> };
    expect(result.status).toBe('succeeded');
    expect(result.steps['warm_up']?.attempts).toBe(3);
  });
});

describe('ia-connectors sandbox', () => {
  it('runs until aborted, prints the URLs and variables, writes a matching connectors file', async () => {
    const cwd = await workdir.dir();
    const controller = new AbortController();
    let printed = '';
    const running = (async () => {
      const { runCli } = await import('../../src/cli/run-cli.js');
      return runCli(['sandbox', '--port', '0', '--oauth-port', '0', '--connectors-out', 'mine.yaml'], {
        stdout: { write: (text: string) => (printed += text) },
        stderr: { write: (text: string) => (printed += text) },
        env: {},
        cwd,
        signal: controller.signal,
      });
    })();
    await expect.poll(() => printed, { timeout: 5000 }).toContain('then, in that shell:');
    const rest = /REST API +(http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1];
    expect(rest).toBeDefined();
    const env = Object.fromEntries([...printed.matchAll(/^ {2}export (\w+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
    expect(Object.keys(env)).toEqual(['SANDBOX_CLIENT_ID', 'SANDBOX_CLIENT_SECRET', 'SANDBOX_API_KEY']);
    expect(await readFile(join(cwd, 'mine.yaml'), 'utf8')).toContain(`baseUrl: ${rest}`);
    const call = await cli(['call', 'users_api', 'GET', '/users/ada', '-c', 'mine.yaml'], { cwd, env });
    expect(call.code).toBe(0);
    expect(printed).toMatch(/^rest GET \/users\/ada 200 \d+ ms$/m);
    controller.abort();
    expect(await running).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const { code, stderr } = await cli(['sandbox', '--port', 'http'], { cwd: await workdir.dir() });
    expect(code).toBe(2);
    expect(stderr).toBe('error CONFIG: --port "http": must be a port from 0 to 65535 (0 picks a free one)\n');
  });
});

describe('examples/', () => {
  it('sandbox.connectors.yaml is exactly what the sandbox generates for its default ports', async () => {
    const committed = await readFile(example('sandbox.connectors.yaml'), 'utf8');
    expect(committed).toBe(sandboxConnectorsYaml(sandboxUrls(SANDBOX_PORTS.rest, SANDBOX_PORTS.oauth)));
  });

  it('every example pipeline validates against the example connectors file', async () => {
    const cwd = await workdir.dir();
    for (const name of ['demo.pipeline.json', 'user-report.pipeline.json', 'fan-in.pipeline.json']) {
      const { code, stderr } = await cli(['validate', example(name), '-c', example('sandbox.connectors.yaml')], { cwd });
      expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: '' });
    }
  });
});
