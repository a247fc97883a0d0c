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
    expect(stdout).toMatch(/^ {2}GraphQL http:\/\/127\.0\.0\.1:\d+\/graphql, gRPC 127\.0\.0\.1:\d+, WebSocket ws:\/\/127\.0\.0\.1:\d+\/ws$/m);
    expect(stdout).toMatch(/^ {2}connectors: users_api, catalog, pricing, books, catalog_grpc, events$/m);
    expect(stdout).toMatch(/^STEP +STATUS +DURATION +ATTEMPTS +ITEMS$/m);
    expect(stdout).toMatch(/^list_users +succeeded +\d+ ms +3 +7$/m);
    expect(stdout).toMatch(/^warm_up +succeeded +\d+ ms +3 +-$/m);
    expect(stdout).toMatch(/^add_book +succeeded +\d+ ms +1 +-$/m);
    expect(stdout).toMatch(/^books +succeeded +\d+ ms +1 +4$/m);
    expect(stdout).toMatch(/^product +succeeded +\d+ ms +1 +-$/m);
    expect(stdout).toMatch(/^products +succeeded +\d+ ms +1 +2$/m);
    expect(stdout).toMatch(/^add_numbers +succeeded +\d+ ms +- +-$/m);
    expect(stdout).toMatch(/^ticks +succeeded +\d+ ms +- +5$/m);
    expect(stdout).toMatch(/^11 steps: 11 succeeded \| \d+ requests \| [1-9]\d* retries \| [1-9]\d* rate-limit waits \(/m);
    expect(stdout).toContain('  service: "recovered"');
    expect(stdout).toContain('  new_book: "Notes on the Analytical Engine"');
    expect(stdout).toContain('  product: "Desk lamp"');
    expect(stdout).toContain('  sum: 42');
    expect(stdout).toContain('  last_price: 104.51');
    expect(stderr).toMatch(/^auth users_api: oauth2 credentials fetched/m);
    expect(stderr).toMatch(/^retry catalog: attempt 2 in \d+ ms \(status 503\)$/m);
    expect(stderr).toMatch(/^retry catalog: attempt 2 in 1\.00 s \(status 429\)$/m);
    expect(stderr).toMatch(/^step list_users page 3: 1 item$/m);
    expect(stderr).toMatch(/^step products: 2 messages from \/sandbox\.catalog\.v1\.Catalog\/ListProducts$/m);
  });

  it("--json prints only the result, with what each protocol's steps returned", async () => {
    const { code, stdout } = await cli(['demo', '--json', '--quiet', '--param', 'include_usage=false'], { cwd: await workdir.dir() });
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: string; steps: Record<string, { status: string; attempts?: number; result?: Record<string, unknown> }> };
    expect(result.status).toBe('succeeded');
    expect(result.steps['warm_up']?.attempts).toBe(3);
    expect(result.steps['usage']?.status).toBe('skipped');
    const book = { id: '4', title: 'Notes on the Analytical Engine', author: 'Ada Lovelace', year: 1843 };
    expect(result.steps['add_book']?.result).toEqual({ book });
    expect(result.steps['books']?.result?.['books']).toEqual([expect.objectContaining({ id: '1', title: 'Dune', stock: null }), expect.anything(), expect.anything(), expect.objectContaining(book)]);
    expect(result.steps['product']?.result).toEqual({ product: { sku: 'lamp-01', name: 'Desk lamp', region: 'eu', price_cents: '3900', in_stock: true, tags: ['home', 'light'] } });
    expect((result.steps['products']?.result?.['products'] as { sku: string; region: string }[]).map((p) => `${p.sku}/${p.region}`)).toEqual(['lamp-01/eu', 'mug-02/eu']);
    expect(result.steps['add_numbers']?.result).toEqual({ reply: { id: expect.anything(), result: 42 } });
    const ticks = result.steps['ticks']?.result?.['ticks'] as { type: string; seq?: number }[];
    expect(ticks.map((t) => t.type + (t.seq ?? ''))).toEqual(['subscribed', 'tick1', 'tick2', 'tick3', 'done']);
  });
});

describe('ia-connectors sandbox', () => {
  it('runs until aborted, prints the URLs and variables, writes a matching connectors file', async () => {
    const cwd = await workdir.dir();
    const controller = new AbortController();
    let printed = '';
    const running = (async () => {
      const { runCli } = await import('../../src/cli/run-cli.js');
      const ports = ['--port', '--oauth-port', '--graphql-port', '--grpc-port', '--websocket-port'].flatMap((option) => [option, '0']);
      return runCli(['sandbox', ...ports, '--connectors-out', 'mine.yaml'], {
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
    expect(printed).toMatch(/^ {2}GraphQL +http:\/\/127\.0\.0\.1:\d+\/graphql \(subscriptions ws:\/\/127\.0\.0\.1:\d+\/graphql\)$/m);
    expect(printed).toMatch(/^ {2}gRPC +127\.0\.0\.1:\d+ \(plaintext, server reflection, sandbox\.catalog\.v1\.Catalog\)$/m);
    expect(printed).toMatch(/^ {2}WebSocket +ws:\/\/127\.0\.0\.1:\d+\/ws \(bearer token; ws:\/\/127\.0\.0\.1:\d+\/echo echoes\)$/m);
    const env = Object.fromEntries([...printed.matchAll(/^ {2}export (\w+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
    expect(Object.keys(env)).toEqual(['SANDBOX_CLIENT_ID', 'SANDBOX_CLIENT_SECRET', 'SANDBOX_API_KEY', 'SANDBOX_WEBSOCKET_TOKEN']);
    expect(await readFile(join(cwd, 'mine.yaml'), 'utf8')).toContain(`baseUrl: ${rest}`);
    const call = await cli(['call', 'users_api', 'GET', '/users/ada', '-c', 'mine.yaml'], { cwd, env });
    expect(call.code).toBe(0);
    expect(printed).toMatch(/^rest GET \/users\/ada 200 \d+ ms$/m);
    const health = await cli(['health', '-c', 'mine.yaml', '--json'], { cwd, env });
    const report = JSON.parse(health.stdout) as { connectors: { name: string; ok: boolean }[] };
    expect(report.connectors.map((c) => `${c.name}:${c.ok}`)).toEqual(['users_api', 'catalog', 'pricing', 'books', 'catalog_grpc', 'events'].map((n) => `${n}:true`));
    expect(health.code).toBe(0);
    controller.abort();
    expect(await running).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const { code, stderr } = await cli(['sandbox', '--port', 'http'], { cwd: await workdir.dir() });
    expect(code).toBe(2);
    expect(stderr).toBe('error CONFIG: --port "http": must be a port from 0 to 65535 (0 picks a free one)\n');
    const grpc = await cli(['sandbox', '--grpc-port', '70000'], { cwd: await workdir.dir() });
    expect(grpc).toMatchObject({ code: 2, stderr: 'error CONFIG: --grpc-port "70000": must be a port from 0 to 65535 (0 picks a free one)\n' });
  });
});

describe('examples/', () => {
  it('sandbox.connectors.yaml is exactly what the sandbox generates for its default ports', async () => {
    const committed = await readFile(example('sandbox.connectors.yaml'), 'utf8');
    expect(committed).toBe(sandboxConnectorsYaml(sandboxUrls(SANDBOX_PORTS)));
  });

  it('every example pipeline validates against the example connectors file', async () => {
    const cwd = await workdir.dir();
    for (const name of ['demo.pipeline.json', 'user-report.pipeline.json', 'fan-in.pipeline.json']) {
      const { code, stderr } = await cli(['validate', example(name), '-c', example('sandbox.connectors.yaml')], { cwd });
      expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: '' });
    }
  });
});
