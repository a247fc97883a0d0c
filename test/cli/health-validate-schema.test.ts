import { describe, expect, it } from 'vitest';
import { cli, example, useSandboxFiles, useWorkdir } from './helpers.js';

const workdir = useWorkdir();
const sandboxes = useSandboxFiles(workdir);

describe('ia-connectors health', () => {
  it('probes every connector and exits 0 when all are healthy', async () => {
    const sandbox = await sandboxes.start();
    const { code, stdout } = await cli(['health', '-c', 'sandbox.connectors.yaml'], { cwd: await workdir.dir(), env: sandbox.env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^CONNECTOR +HEALTH +STATUS +LATENCY +PROBLEM$/m);
    for (const name of ['users_api', 'catalog', 'pricing', 'books', 'catalog_grpc', 'events']) expect(stdout).toMatch(new RegExp(`^${name} +healthy +(\\d+|-) +\\d+ ms$`, 'm'));
  });

  it('reports a connector without its secret as unhealthy, without contacting it, and exits 1', async () => {
    const sandbox = await sandboxes.start();
    const env = { ...sandbox.env, SANDBOX_API_KEY: undefined };
    const { code, stdout } = await cli(['health', '-c', 'sandbox.connectors.yaml', '--json'], { cwd: await workdir.dir(), env });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; connectors: { name: string; ok: boolean; error?: { code: string; message: string } }[] };
    expect(report.ok).toBe(false);
    expect(report.connectors.find((c) => c.name === 'pricing')).toMatchObject({ ok: false, error: { code: 'CONFIG', message: expect.stringContaining('${env:SANDBOX_API_KEY} is not set') } });
    expect(report.connectors.find((c) => c.name === 'users_api')?.ok).toBe(true);
  });
});

describe('ia-connectors validate', () => {
  it('recognises a connectors file by its content and checks its secrets', async () => {
    const sandbox = await sandboxes.start();
    const cwd = await workdir.dir();
    const ok = await cli(['validate', 'sandbox.connectors.yaml'], { cwd, env: sandbox.env });
    expect(ok).toEqual({ code: 0, stderr: '', stdout: 'ok: connectors file sandbox.connectors.yaml: 6 connectors: users_api (rest), catalog (rest), pricing (rest), books (graphql), catalog_grpc (grpc), events (websocket)\n' });
    const noEnv = await cli(['validate', 'sandbox.connectors.yaml'], { cwd, env: {} });
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr.trimEnd().split('\n')).toHaveLength(4);
    expect(noEnv.stderr).toContain('connector "events" auth.token: ${env:SANDBOX_WEBSOCKET_TOKEN} is not set; export SANDBOX_WEBSOCKET_TOKEN or change auth.token');
    expect((await cli(['validate', 'sandbox.connectors.yaml', '--no-secrets'], { cwd, env: {} })).code).toBe(0);
  });

  it('recognises a pipeline and checks the connectors it names', async () => {
    const cwd = await workdir.dir();
    const ok = await cli(['validate', example('demo.pipeline.json'), '-c', example('sandbox.connectors.yaml')], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: pipeline "Sandbox tour" in .*demo\.pipeline\.json: 11 steps, connectors users_api, catalog, pricing, books, catalog_grpc, events\n$/);
    await workdir.write('few.yaml', 'connectors:\n  - name: catalog\n    baseUrl: http://127.0.0.1:9\n');
    const missing = await cli(['validate', example('fan-in.pipeline.json'), '-c', 'few.yaml'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error UNKNOWN_CONNECTOR: .*fan-in\.pipeline\.json:\d+:\d+ step "prices" config\.connector: no connector named "pricing" in few\.yaml/);
  });

  it('says so when a file is neither', async () => {
    await workdir.write('other.yaml', 'name: something\n');
    const { code, stderr } = await cli(['validate', 'other.yaml'], { cwd: await workdir.dir() });
    expect(code).toBe(2);
    expect(stderr).toBe('error CONFIG: other.yaml: neither a connectors file (a "connectors" list) nor a pipeline ("steps" and "flow"); check that you passed the right file\n');
  });

  it('reports a pipeline JSON syntax error with its position', async () => {
    await workdir.write('p.json', '{\n  "steps": [\n    { "id": "a" }\n    { "id": "b" }\n  ]\n}');
    const { code, stderr } = await cli(['validate', 'p.json'], { cwd: await workdir.dir() });
    expect(code).toBe(2);
    expect(stderr).toBe('error PIPELINE: p.json:4:5 not valid JSON: expected "," or "]" after a list item, found "{"\n');
  });
});

describe('ia-connectors schema', () => {
  it('prints the JSON Schema of connectors files, and of pipelines with --pipeline', async () => {
    const cwd = await workdir.dir();
    const connectors = await cli(['schema'], { cwd });
    expect(connectors.code).toBe(0);
    const schema = JSON.parse(connectors.stdout) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe('ia-connectors connectors file');
    expect(schema.properties).toHaveProperty('connectors');
    const pipeline = JSON.parse((await cli(['schema', '--pipeline'], { cwd })).stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(pipeline.properties)).toEqual(expect.arrayContaining(['name', 'steps', 'flow', 'outputs']));
  });
});

describe('ia-connectors --help and --version', () => {
  it('prints the version from package.json and the commands', async () => {
    const cwd = await workdir.dir();
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
    expect(await cli(['--version'], { cwd })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await cli(['--help'], { cwd });
    expect(help.code).toBe(0);
    for (const command of ['run', 'call', 'health', 'validate', 'schema', 'demo', 'sandbox']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});
