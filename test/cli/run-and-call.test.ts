import { describe, expect, it } from 'vitest';
import { cli, example, useSandboxFiles, useWorkdir } from './helpers.js';

const workdir = useWorkdir();
const sandboxes = useSandboxFiles(workdir);

async function setup() {
  const sandbox = await sandboxes.start();
  return { sandbox, cwd: await workdir.dir(), env: sandbox.env };
}

function secretsOf(sandbox: { credentials: { clientSecret: string; apiKey: string } }): string[] {
  return [sandbox.credentials.clientSecret, sandbox.credentials.apiKey];
}

describe('ia-connectors run', () => {
  it('runs the shared user-report example against the sandbox; --json prints only the result JSON', async () => {
    const { sandbox, cwd, env } = await setup();
    const { code, stdout, stderr } = await cli(['run', example('user-report.pipeline.json'), '--connectors', 'sandbox.connectors.yaml', '--json'], { cwd, env });
    expect(stderr).not.toContain('error');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: string; outputs: { user: { username: string }; posts: unknown[] }; steps: Record<string, { status: string }> };
    expect(result.status).toBe('succeeded');
    expect(result.outputs.user.username).toBe('ada');
    expect(result.outputs.posts).toHaveLength(3);
    expect(result.steps['no_posts']?.status).toBe('skipped');
    for (const secret of secretsOf(sandbox)) expect(stdout + stderr).not.toContain(secret);
  });

  it('takes --param values with their JSON type: a user without posts takes the other branch', async () => {
    const { cwd, env } = await setup();
    const { code, stdout } = await cli(['run', example('user-report.pipeline.json'), '-c', 'sandbox.connectors.yaml', '--param', 'username=linus', '--json', '-q'], { cwd, env });
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { steps: Record<string, { status: string; result?: { audit: { event: string } } }> };
    expect(result.steps['fetch_posts']?.status).toBe('skipped');
    expect(result.steps['no_posts']?.result?.audit.event).toBe('no_posts');
  });

  it('runs the shared fan-in example unchanged: three branches and the merge', async () => {
    const { cwd, env } = await setup();
    const { code, stdout } = await cli(['run', example('fan-in.pipeline.json'), '-c', 'sandbox.connectors.yaml', '--json', '-q'], { cwd, env });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded', outputs: { report_id: 'rpt_1' } });
  });

  it('prints a summary table and the outputs without --json, and progress lines on stderr', async () => {
    const { cwd, env } = await setup();
    const { code, stdout, stderr } = await cli(['run', example('user-report.pipeline.json'), '-c', 'sandbox.connectors.yaml'], { cwd, env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^STEP +STATUS +DURATION +ATTEMPTS +ITEMS$/m);
    expect(stdout).toMatch(/^fetch_posts +succeeded +\d+ ms +1 +3$/m);
    expect(stdout).toMatch(/^no_posts +skipped +- +- +-$/m);
    expect(stdout).toContain('3 steps: 2 succeeded, 1 skipped | 2 requests | 0 retries | 0 rate-limit waits');
    expect(stdout).toContain('  user: {"id":1,"username":"ada"');
    expect(stderr).toContain('step fetch_user started (api_call)');
    expect(stderr).toContain('auth users_api: oauth2 credentials fetched');
    expect(stderr).toContain('run succeeded in');
  });

  it('reads the run input from --input and --input-file', async () => {
    const { cwd, env } = await setup();
    await workdir.write('p.json', {
      name: 'by input',
      steps: [{ id: 'user', type: 'api_call', inputs: { name: '{{ pipeline_input.username }}' }, config: { connector: 'users_api', endpoint: '/users/{name}' } }],
      flow: { start_at: 'user' },
      outputs: { id: '{{ user.id }}' },
    });
    await workdir.write('input.json', { username: 'grace' });
    const inline = await cli(['run', 'p.json', '-c', 'sandbox.connectors.yaml', '--input', '{"username": "alan"}', '--json', '-q'], { cwd, env });
    expect(JSON.parse(inline.stdout)).toMatchObject({ outputs: { id: 2 } });
    const fromFile = await cli(['run', 'p.json', '-c', 'sandbox.connectors.yaml', '--input-file', 'input.json', '--json', '-q'], { cwd, env });
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ outputs: { id: 3 } });
  });

  it('a failing step ends the run with exit 1, the step named on stderr', async () => {
    const { cwd, env } = await setup();
    const { code, stdout, stderr } = await cli(['run', example('user-report.pipeline.json'), '-c', 'sandbox.connectors.yaml', '--param', 'username=nobody', '--json', '-q'], {
      cwd,
      env,
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'failed', error: { stepId: 'fetch_user', status: 404 } });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error STEP: .*user-report\.pipeline\.json:\d+:\d+ step "fetch_user": GET http:\/\/127\.0\.0\.1:\d+\/users\/nobody answered 404, expected 2xx\n$/);
  });
});

describe('ia-connectors call', () => {
  it('sends one request through the connector with its OAuth token and prints the body', async () => {
    const { sandbox, cwd, env } = await setup();
    const { code, stdout, stderr } = await cli(['call', 'users_api', 'get', '/users', '--query', 'limit=2', '-c', 'sandbox.connectors.yaml'], { cwd, env });
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { data: { username: string }[] };
    expect(body.data.map((u) => u.username)).toEqual(['ada', 'alan']);
    expect(stderr).toMatch(new RegExp(`^200 GET ${sandbox.urls.rest}/users\\?limit=2 \\(\\d+ ms, 1 attempt\\)$`, 'm'));
    for (const secret of secretsOf(sandbox)) expect(stdout + stderr).not.toContain(secret);
  });

  it('posts --data as JSON and prints the whole response with --json', async () => {
    const { cwd, env } = await setup();
    const { code, stdout } = await cli(['call', 'catalog', 'POST', '/reports', '--data', '{"products": [1, 2]}', '-c', 'sandbox.connectors.yaml', '--json'], { cwd, env });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 201, ok: true, attempts: 1, body: { id: 'rpt_1', counts: { products: 2 } } });
  });

  it('shows retries on stderr and exits 1 for an error status', async () => {
    const { cwd, env } = await setup();
    const flaky = await cli(['call', 'catalog', 'GET', '/flaky', '-c', 'sandbox.connectors.yaml'], { cwd, env });
    expect(flaky.code).toBe(0);
    expect(flaky.stderr).toMatch(/^retry catalog: attempt 2 in \d+ ms \(status 503\)$/m);
    expect(flaky.stderr).toMatch(/\(\d+ ms, 3 attempts\)/);
    const missing = await cli(['call', 'catalog', 'GET', '/regions/mars', '-c', 'sandbox.connectors.yaml'], { cwd, env });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: 'not_found' });
  });

  it('resolves a header secret reference from the given environment and never prints it', async () => {
    const { sandbox, cwd, env } = await setup();
    await workdir.write('h.yaml', `connectors:\n  - name: prices\n    baseUrl: ${sandbox.urls.rest}\n    headers:\n      X-API-Key: "\${env:SANDBOX_API_KEY}"\n`);
    const ok = await cli(['call', 'prices', 'GET', '/prices/eu', '-c', 'h.yaml', '--json', '--verbose'], { cwd, env });
    expect(ok.code).toBe(0);
    const missing = await cli(['call', 'prices', 'GET', '/prices/mars', '-c', 'h.yaml', '--verbose'], { cwd, env });
    expect(missing.code).toBe(1);
    for (const run of [ok, missing]) expect(run.stdout + run.stderr).not.toContain(sandbox.credentials.apiKey);
  });

  it('refuses an unknown method and an unknown connector with exit 2', async () => {
    const { cwd, env } = await setup();
    const method = await cli(['call', 'catalog', 'FETCH', '/x', '-c', 'sandbox.connectors.yaml'], { cwd, env });
    expect(method.code).toBe(2);
    expect(method.stderr).toBe('error CONFIG: method "FETCH": use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS\n');
    const name = await cli(['call', 'catalogue', 'GET', '/x', '-c', 'sandbox.connectors.yaml'], { cwd, env });
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/^error UNKNOWN_CONNECTOR: argument <connector>: no connector named "catalogue" in sandbox\.connectors\.yaml\. Did you mean "catalog"\?/);
  });
});
