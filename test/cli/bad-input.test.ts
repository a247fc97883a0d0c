import { describe, expect, it } from 'vitest';
import { cli, example, useSandboxFiles, useWorkdir } from './helpers.js';

const workdir = useWorkdir();
const sandboxes = useSandboxFiles(workdir);

const CONNECTORS = 'connectors:\n  - name: users_api\n    baseUrl: http://127.0.0.1:9\n';

function pipeline(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'p',
    steps: [
      { id: 'a', type: 'api_call', config: { connector: 'users_api', endpoint: '/users/ada', output_field: 'user' } },
      { id: 'b', type: 'api_call', inputs: { id: '{{ a.user.id }}' }, config: { connector: 'users_api', endpoint: '/users/{id}/posts' } },
    ],
    flow: { start_at: 'a', paths: [{ from: 'a', to: 'b' }] },
    ...patch,
  };
}

async function runWith(pipelineValue: unknown, extra: string[] = [], connectors = CONNECTORS) {
  await workdir.write('c.yaml', connectors);
  await workdir.write('p.json', typeof pipelineValue === 'string' ? pipelineValue : JSON.stringify(pipelineValue, null, 2));
  return cli(['run', 'p.json', '--connectors', 'c.yaml', ...extra], { cwd: await workdir.dir() });
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

describe('ia-connectors refuses bad input with exit code 2 and one clear line', () => {
  it('call on a connector that is not REST: says which command fits instead, sends nothing', async () => {
    await workdir.write('c.yaml', 'connectors:\n  - name: events\n    protocol: websocket\n    baseUrl: http://127.0.0.1:9\n');
    const { code, stderr } = await cli(['call', 'events', 'GET', '/x', '--connectors', 'c.yaml'], { cwd: await workdir.dir() });
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^error UNSUPPORTED: connector "events" is a websocket connector; `call` sends HTTP requests through REST connectors/);
  });

  it('malformed JSON pipeline: names the file, line and column', async () => {
    const { code, stdout, stderr } = await runWith('{\n  "name": "p",\n  "steps": [1,]\n}');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(oneLine(stderr)).toBe('error PIPELINE: p.json:3:15 not valid JSON: a trailing comma before "]"; remove the comma');
  });

  it('malformed YAML connectors file: names the file, line and column', async () => {
    const { code, stderr } = await runWith(pipeline(), [], 'connectors:\n  - name: users_api\n    baseUrl: [http://127.0.0.1:9\n');
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('error CONFIG: c.yaml:4:1 Flow sequence in block collection must be sufficiently indented and end with a ]');
  });

  it('invalid connectors field: points at the field with line and column', async () => {
    const { code, stderr } = await runWith(pipeline(), [], 'connectors:\n  - name: users_api\n    baseUrl: ftp://example.test\n');
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('error CONFIG: c.yaml:3:14 connectors[0].baseUrl: scheme "ftp:" is not supported; use http:// or https://');
  });

  it('unknown step type: points at the step type', async () => {
    const bad = pipeline();
    (bad['steps'] as Record<string, unknown>[])[1] = { id: 'b', type: 'fetch', config: {} };
    const { code, stderr } = await runWith(bad);
    expect(code).toBe(2);
    const line = oneLine(stderr);
    expect(line).toMatch(/^error PIPELINE: p\.json:\d+:\d+ steps\[1\] \("b"\)\.type: unknown step type "fetch"; known types: api_call, foreach/);
  });

  it('cycle: names the steps of the loop', async () => {
    const steps = [...(pipeline()['steps'] as object[]), { id: 'c', type: 'api_call', config: { connector: 'users_api', endpoint: '/x' } }];
    const flow = { start_at: 'a', paths: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'b' }] };
    const { code, stderr } = await runWith(pipeline({ steps, flow }));
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^error PIPELINE: p\.json:\d+:\d+ flow: the steps b → c → b form a cycle; remove one of these edges/);
  });

  it('an edge into the start step', async () => {
    const { code, stderr } = await runWith(pipeline({ flow: { start_at: 'a', paths: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] } }));
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^error PIPELINE: p\.json:\d+:\d+ flow\.paths\[1\]\.to: "a" is flow\.start_at, which runs first; an edge may not enter it$/);
  });

  it('missing start step: lists the step ids', async () => {
    const { code, stderr } = await runWith(pipeline({ flow: { start_at: 'start', paths: [{ from: 'a', to: 'b' }] } }));
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^error PIPELINE: p\.json:\d+:\d+ flow\.start_at: "start" is not a step id; step ids are: a, b$/);
  });

  it('template referencing a missing step: names the template and where it is', async () => {
    const bad = pipeline();
    (bad['steps'] as Record<string, unknown>[])[1] = { id: 'b', type: 'api_call', inputs: { id: '{{ ghost.user.id }}' }, config: { connector: 'users_api', endpoint: '/users/{id}' } };
    const { code, stderr } = await runWith(bad);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^error TEMPLATE: p\.json:\d+:\d+ step "b" inputs\.id: \{\{ ghost\.user\.id \}\} cannot be resolved/);
  });

  it('template reading a parameter that is not set: fails before any call', async () => {
    const bad = pipeline();
    (bad['steps'] as Record<string, unknown>[])[0] = { id: 'a', type: 'api_call', inputs: { u: '{{ parameters.username }}' }, config: { connector: 'users_api', endpoint: '/users/{u}' } };
    const { code, stderr } = await runWith(bad);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^error TEMPLATE: p\.json:\d+:\d+ step "a" inputs\.u: \{\{ parameters\.username \}\} reads parameter "username", which is not set/);
  });

  it('template referencing a missing field of a result: the run stops with exit 2 and the field named', async () => {
    const dir = await workdir.dir();
    const sandbox = await sandboxes.start();
    await workdir.write('p.json', {
      name: 'typo',
      steps: [
        { id: 'user', type: 'api_call', config: { connector: 'users_api', endpoint: '/users/ada', output_field: 'user' } },
        { id: 'posts', type: 'api_call', inputs: { id: '{{ user.user.idd }}' }, config: { connector: 'users_api', endpoint: '/users/{id}/posts' } },
      ],
      flow: { start_at: 'user', paths: [{ from: 'user', to: 'posts' }] },
    });
    const { code, stderr } = await cli(['run', 'p.json', '--connectors', 'sandbox.connectors.yaml', '--quiet'], { cwd: dir, env: sandbox.env });
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^error TEMPLATE: p\.json:\d+:\d+ step "posts" inputs\.id: \{\{ user\.user\.idd \}\} cannot be resolved: .*has no field "idd"/);
  });

  it('connector not in the registry: suggests the closest name', async () => {
    const bad = pipeline();
    (bad['steps'] as Record<string, unknown>[])[0] = { id: 'a', type: 'api_call', config: { connector: 'user_api', endpoint: '/users/ada', output_field: 'user' } };
    const { code, stderr } = await runWith(bad);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(
      /^error UNKNOWN_CONNECTOR: p\.json:\d+:\d+ step "a" config\.connector: no connector named "user_api" in c\.yaml\. Did you mean "users_api"\? c\.yaml defines users_api; add it there or fix the name$/,
    );
  });

  it('missing secret environment variable: names the variable and the connector, before anything is sent', async () => {
    const connectors = 'connectors:\n  - name: users_api\n    baseUrl: http://127.0.0.1:9\n    auth: { type: bearer, token: "${env:USERS_TOKEN}" }\n';
    const { code, stderr } = await runWith(pipeline(), [], connectors);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe(
      'error CONFIG: c.yaml:2:5 connector "users_api" auth.token: ${env:USERS_TOKEN} is not set; export USERS_TOKEN or change auth.token',
    );
  });

  it('--input that is not JSON: names the option, line and column', async () => {
    const { code, stderr } = await runWith(pipeline(), ['--input', '{"id": 7,, }']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('error CONFIG: --input:1:10 not valid JSON: expected a property name in double quotes, found ","');
  });

  it('--input that is JSON but not an object', async () => {
    const { code, stderr } = await runWith(pipeline(), ['--input', '[1, 2]']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('error CONFIG: --input: must be a JSON object such as {"id": 7}, got a list');
  });

  it('--param without "=": shows the expected form', async () => {
    const { code, stderr } = await runWith(pipeline(), ['--param', 'username']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('error CONFIG: --param "username": write it as name=value, e.g. --param username=ada');
  });

  it('a missing file, an unknown option and a missing --connectors are usage errors', async () => {
    const dir = await workdir.dir();
    const missing = await cli(['run', 'nope.json', '--connectors', 'c.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toMatch(/^error CONFIG: nope\.json: no such file \(looked for .*nope\.json\); check the pipeline file path$/);
    const unknown = await cli(['run', example('demo.pipeline.json'), '--connectors', 'c.yaml', '--jsn'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(oneLine(unknown.stderr)).toMatch(/^error CONFIG: unknown option '--jsn'.*\(Did you mean --json\?\); see "ia-connectors --help"$/);
    const noConnectors = await cli(['run', example('demo.pipeline.json')], { cwd: dir });
    expect(noConnectors.code).toBe(2);
    expect(oneLine(noConnectors.stderr)).toContain("required option '-c, --connectors <file>' not specified");
  });

  it('--verbose adds the cause chain', async () => {
    const { code, stderr } = await runWith('{"name": ', ['--verbose']);
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error PIPELINE: p.json:1:10 not valid JSON: the file is empty or ends where a value should be');
    expect(lines[1]).toMatch(/^ {2}caused by UNEXPECTED: Unexpected end of JSON input/);
  });
});
