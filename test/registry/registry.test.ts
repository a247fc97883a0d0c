import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ConnectorLookup } from '../../src/pipeline/connectors.js';
import type { RestConnector } from '../../src/protocols/rest/connector.js';
import type { AnyConnector } from '../../src/registry/protocols.js';
import { createRestConnector } from '../../src/protocols/rest/connector.js';
import { createRegistry, loadRegistry } from '../../src/registry/create.js';
import { ConnectorRegistry } from '../../src/registry/registry.js';
import { echo, json, startServer, status, type ScriptedServer } from '../support/index.js';
import { lines, tempFiles, thrown } from './files.js';

let servers: ScriptedServer[] = [];
let registries: ConnectorRegistry[] = [];

async function server(): Promise<ScriptedServer> {
  const s = await startServer();
  servers.push(s);
  return s;
}

function track(registry: ConnectorRegistry): ConnectorRegistry {
  registries.push(registry);
  return registry;
}

/** A port nothing listens on: opened by a server that was then closed. */
async function refusedPort(): Promise<number> {
  const s = await startServer();
  await s.close();
  return s.port;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled(registries.map((r) => r.closeAll()));
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  registries = [];
});

describe('ConnectorRegistry', () => {
  let api: ScriptedServer;
  beforeEach(async () => {
    api = await server();
    api.route('GET', '/users/ada', json(200, { name: 'Ada' }));
  });

  it('connects lazily on first use and shares one connect among concurrent callers', async () => {
    const registry = track(createRegistry([{ name: 'users', baseUrl: api.url, retry: { maxAttempts: 1 } }]));
    expect(registry.toJSON().connectors[0]).toMatchObject({ name: 'users', state: 'idle', protocol: 'rest' });
    expect(api.totalSockets).toBe(0);

    const [a, b, c] = await Promise.all([registry.get('users'), registry.get('users'), registry.get('users')]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.state).toBe('connected');
    expect(await registry.get('users')).toBe(a);

    const res = await a.get('/users/ada').send();
    expect(res.body).toEqual({ name: 'Ada' });
    expect(api.requests).toHaveLength(1);
  });

  it('serves the pipeline lookup contract: execute through get(name)', async () => {
    const registry = track(createRegistry([{ name: 'users', baseUrl: api.url }]));
    const caller = await registry.get('users');
    const res = await caller.execute({ method: 'GET', endpoint: '/users/{id}', params: { id: 'ada' } });
    expect(res.status).toBe(200);
  });

  it('reports an unknown name with the known names and the closest one', async () => {
    const registry = track(createRegistry([
      { name: 'users_api', baseUrl: api.url },
      { name: 'billing', baseUrl: api.url },
    ]));
    const error = await thrown(registry.get('user_api'));
    expect(error.code).toBe('UNKNOWN_CONNECTOR');
    expect(error.message).toBe('no connector named "user_api". Did you mean "users_api"? Known connectors: users_api, billing.');
    expect(error.details).toMatchObject({ known: ['users_api', 'billing'], suggestion: 'users_api' });

    const far = await thrown(registry.get('zzz'));
    expect(far.message).not.toContain('Did you mean');
    const empty = await thrown(track(new ConnectorRegistry()).get('users'));
    expect(empty.message).toContain('No connectors are registered');
  });

  it('rejects a second connector with the same name, naming where both come from', async () => {
    const files = await tempFiles();
    try {
      const path = await files.write('c.yaml', lines('connectors:', '  - name: users', `    baseUrl: ${api.url}`));
      const registry = track(await loadRegistry(path));
      const error = await thrown(() => registry.register({ name: 'users', baseUrl: api.url }));
      expect(error.code).toBe('CONFIG');
      expect(error.message).toBe(
        `connector name "users" is registered twice: first from ${path}:2:5, again from register(); give each connector its own name`,
      );
      const again = await thrown(() => registry.registerConnector(createRestConnector({ name: 'users', baseUrl: api.url }), { source: 'plugin x' }));
      expect(again.message).toContain('again from plugin x');
    } finally {
      await files.cleanup();
    }
  });

  it('validates register() input and names every bad field', async () => {
    const registry = track(new ConnectorRegistry());
    const error = await thrown(() => registry.register({ name: 'users', baseUrl: 'nope', timeout: { total: -1 } } as never));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain('invalid config of connector "users": 2 problems');
    expect(error.message).toContain('  - baseUrl: "nope" is not an absolute URL');
    expect(error.message).toContain('  - timeout.total: must be a positive number');
    expect(registry.has('users')).toBe(false);
  });

  it('createRegistry reports every problem of every config at once', async () => {
    const error = await thrown(() =>
      createRegistry([
        { name: 'a', baseUrl: 'ftp://x' },
        { name: 'b', base_url: api.url, max_retries: -1 },
      ] as never),
    );
    expect(error.message).toContain('invalid connector configs: 2 problems');
    expect(error.message).toContain('connectors[0].baseUrl');
    expect(error.message).toContain('connectors[1].max_retries');
  });

  it('accepts ready connectors, connects them on first use and closes them with the rest', async () => {
    const own = createRestConnector({ name: 'own', baseUrl: api.url });
    const registry = track(new ConnectorRegistry().registerConnector(own).register({ name: 'cfg', baseUrl: api.url }));
    expect(registry.names()).toEqual(['own', 'cfg']);
    expect(registry.has('own')).toBe(true);
    expect(await registry.get('own')).toBe(own);
    expect(own.state).toBe('connected');
    await registry.closeAll();
    expect(own.state).toBe('closed');
  });

  it('checks health of every connector at once: healthy, refused and failing', async () => {
    const failing = await server();
    failing.route('GET', '/health', status(500));
    api.route('GET', '/health', status(204));
    const port = await refusedPort();
    const registry = track(
      createRegistry([
        { name: 'up', baseUrl: api.url, healthCheck: { path: '/health' } },
        { name: 'refused', baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } },
        { name: 'broken', baseUrl: failing.url, healthCheck: { path: '/health' }, retry: { maxAttempts: 1 } },
      ]),
    );
    const report = await registry.healthCheckAll();
    expect(report.map((h) => h.name)).toEqual(['up', 'refused', 'broken']);
    const [up, refused, broken] = report;
    expect(up).toMatchObject({ ok: true, status: 204 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
    expect(refused?.status).toBeUndefined();
    expect(broken).toMatchObject({ ok: false, status: 500 });
    for (const h of report) expect(h.latencyMs).toBeGreaterThanOrEqual(0);
    expect(failing.requests).toHaveLength(1);
  });

  it('resolves header references at connect, not at load, and hides the values', async () => {
    api.route('GET', '/echo', echo());
    const registry = track(createRegistry([{ name: 'tenant', baseUrl: api.url, headers: { 'x-tenant-key': '${env:REGISTRY_TEST_TENANT}' } }]));

    // Missing at first use: a CONFIG error naming the reference, reported by the health check too.
    const missing = await thrown(registry.get('tenant'));
    expect(missing.code).toBe('CONFIG');
    expect(missing.message).toBe(
      'connector "tenant" (connectors[0] passed to createRegistry()) could not connect: ${env:REGISTRY_TEST_TENANT} is not set; export REGISTRY_TEST_TENANT or change headers.x-tenant-key of connector "tenant"',
    );
    expect(missing.details).toMatchObject({ connector: 'tenant', reference: '${env:REGISTRY_TEST_TENANT}' });
    const [health] = await registry.healthCheckAll();
    expect(health).toMatchObject({ ok: false, error: { code: 'CONFIG' } });

    // Set later: the next get() tries again and succeeds.
    vi.stubEnv('REGISTRY_TEST_TENANT', 'tenant-secret-value');
    const connector = await registry.get('tenant');
    const res = await connector.get('/echo').send();
    expect((res.body as { headers: Record<string, string> }).headers['x-tenant-key']).toBe('tenant-secret-value');
    expect(JSON.stringify(connector.toJSON())).not.toContain('tenant-secret-value');
    expect(JSON.stringify(registry)).not.toContain('tenant-secret-value');
    expect(JSON.stringify(registry)).toContain('${env:REGISTRY_TEST_TENANT}');
  });

  it('leaves auth references to the auth layer, which resolves them at connect', async () => {
    api.route('GET', '/echo', echo());
    const registry = track(createRegistry([{ name: 'users', baseUrl: api.url, auth: { type: 'bearer', token: '${env:REGISTRY_TEST_TOKEN}' } }]));
    const missing = await thrown(registry.get('users'));
    expect(missing.code).toBe('CONFIG');
    expect(missing.message).toContain('${env:REGISTRY_TEST_TOKEN} is not set');
    expect(api.requests).toHaveLength(0);

    vi.stubEnv('REGISTRY_TEST_TOKEN', 'bearer-secret-value');
    const res = await (await registry.get('users')).get('/echo').send();
    expect((res.body as { headers: Record<string, string> }).headers['authorization']).toBe('Bearer bearer-secret-value');
    expect(JSON.stringify(registry)).not.toContain('bearer-secret-value');
  });

  it('never shows auth secrets or secret headers in toJSON', () => {
    const registry = track(
      createRegistry([
        { name: 'a', baseUrl: api.url, auth: { type: 'bearer', token: 'literal-token-123' }, headers: { 'x-api-key': 'hdr-secret-1' } },
        { name: 'b', baseUrl: api.url, auth: { type: 'basic', username: 'etl', password: 'pw-secret-1' } },
        { name: 'c', base_url: api.url, auth_type: 'oauth2', oauth2_client_id: 'cid', oauth2_client_secret: 'cs-secret-1', oauth2_token_url: 'http://127.0.0.1:1/token' },
      ]),
    );
    registry.registerConnector(createRestConnector({ name: 'd', baseUrl: api.url, auth: { type: 'api_key', apiKey: 'ak-secret-1' } }));
    const text = JSON.stringify(registry);
    for (const secret of ['literal-token-123', 'hdr-secret-1', 'pw-secret-1', 'cs-secret-1', 'ak-secret-1']) expect(text).not.toContain(secret);
    expect(text).toContain('"username":"etl"');
    expect(text).toContain('"tokenUrl":"http://127.0.0.1:1/token"');
  });

  it('closeAll is idempotent and refuses further use', async () => {
    const registry = track(createRegistry([{ name: 'users', baseUrl: api.url }]));
    const users = await registry.get('users');
    await users.get('/users/ada').send();
    const first = registry.closeAll();
    expect(registry.closeAll()).toBe(first);
    await first;
    await registry.closeAll();
    expect(users.state).toBe('closed');
    expect((await thrown(registry.get('users'))).code).toBe('NOT_CONNECTED');
    expect((await thrown(() => registry.register({ name: 'x', baseUrl: api.url }))).code).toBe('NOT_CONNECTED');
    const [health] = await registry.healthCheckAll();
    expect(health).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED' } });
  });

  it('closeAll while a connect is in flight waits for it, closes the connector and fails that get()', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = createRestConnector(
      { name: 'slow', baseUrl: api.url },
      { layers: [{ name: 'custom', middleware: (_ctx, next) => next(), open: () => gate }] },
    );
    const registry = track(new ConnectorRegistry().registerConnector(slow));
    const pending = registry.get('slow');
    await vi.waitFor(() => expect(slow.state).toBe('connecting'));
    const closing = registry.closeAll();
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(closed).toBe(false);
    release();
    const error = await thrown(pending);
    expect(error.code).toBe('NOT_CONNECTED');
    await closing;
    expect(slow.state).toBe('closed');
    expect(api.requests).toHaveLength(0);
  });

  it('disposes with await using', async () => {
    let users;
    {
      await using registry = createRegistry([{ name: 'users', baseUrl: api.url }]);
      users = await registry.get('users');
    }
    expect(users.state).toBe('closed');
  });

  it('types get() as a REST connector by default and as the stated type otherwise', async () => {
    const registry = track(createRegistry([{ name: 'users', baseUrl: api.url }]));
    expectTypeOf(registry).toExtend<ConnectorLookup>();
    const rest = registry.get('users');
    const any = registry.get<AnyConnector>('users');
    expectTypeOf(rest).resolves.toEqualTypeOf<RestConnector>();
    expectTypeOf(any).resolves.toEqualTypeOf<AnyConnector>();
    expect(await rest).toBe(await any);
  });
});
