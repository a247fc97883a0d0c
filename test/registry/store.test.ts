import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectorEvents } from '../../src/core/connector-events.js';
import type { RestConnector } from '../../src/protocols/rest/connector.js';
import { createRegistry } from '../../src/registry/create.js';
import { parseConnectorsText } from '../../src/registry/load.js';
import type { ConnectorRegistry } from '../../src/registry/registry.js';
import { json, startRedis, startServer, type ScriptedServer, type TestRedis } from '../support/index.js';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server.js';
import { lines, thrown } from './files.js';

const PASSWORD = 'rds-pass-s3cret';

let redis: TestRedis;
let admin: Redis;
let api: ScriptedServer;
let oauth: OAuthServer;
let registries: ConnectorRegistry[] = [];
let files = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  admin.on('error', () => undefined);
  // A Redis that needs the password carried by the URL.
  await admin.config('SET', 'requirepass', PASSWORD);
  api = await startServer();
  api.route('GET', '/item', json(200, { id: 1 }));
  oauth = await startOAuthServer({ clients: [{ id: 'etl', secret: 'etl-client-s3cret' }] });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.allSettled(registries.map((r) => r.closeAll()));
  registries = [];
});

afterAll(async () => {
  admin.disconnect();
  await api.close();
  await oauth.close();
  await redis.close();
});

/** A registry of the connectors file below, as a separate worker process would load it. */
function load(): ConnectorRegistry {
  vi.stubEnv('TEST_STORE_REDIS_URL', `redis://:${PASSWORD}@127.0.0.1:${redis.port}`);
  vi.stubEnv('TEST_ETL_SECRET', 'etl-client-s3cret');
  const text = lines(
    'store:',
    '  type: redis',
    '  url: "${env:TEST_STORE_REDIS_URL}"',
    `  keyPrefix: "reg-${files}:"`,
    // Generous: a loaded test machine must not look like a Redis outage.
    '  commandTimeout: 2000',
    'connectors:',
    '  - name: users',
    `    baseUrl: ${api.url}`,
    '    retry: { maxAttempts: 1 }',
    '    rateLimit: { perSecond: 1, burst: 3, maxWait: 0 }',
    '    circuitBreaker: { threshold: 2, openDuration: 60000 }',
    '  - name: local_only',
    `    baseUrl: ${api.url}`,
    '    retry: { maxAttempts: 1 }',
    '    store: { type: memory }',
    '    rateLimit: { perSecond: 1, burst: 1, maxWait: 0 }',
    '  - name: secured',
    `    baseUrl: ${api.url}`,
    '    retry: { maxAttempts: 1 }',
    `    auth: { type: oauth2, tokenUrl: "${oauth.tokenUrl}", clientId: etl, clientSecret: "\${env:TEST_ETL_SECRET}" }`,
  );
  const registry = createRegistry(parseConnectorsText(text, 'connectors.yaml'));
  registries.push(registry);
  return registry;
}

const call = (connector: RestConnector) => connector.execute({ method: 'GET', endpoint: '/item' }).then((r) => r.status, (e: { code?: string }) => e.code);

describe('a connectors file with store: { type: redis }', () => {
  it('shares each connector\'s rate limit between registries (processes) through Redis', async () => {
    files += 1;
    const [one, two] = [load(), load()];
    const [users1, users2] = [await one.get('users'), await two.get('users')];
    expect([await call(users1), await call(users2), await call(users1)]).toEqual([200, 200, 200]);
    expect(await call(users2)).toBe('RATE_LIMITED');
    // A connector that sets store: { type: memory } keeps its own, per-process limit.
    const [local1, local2] = [await one.get('local_only'), await two.get('local_only')];
    expect([await call(local1), await call(local2)]).toEqual([200, 200]);
  });

  it('shares the OAuth token: the second registry reads it from Redis instead of asking the token endpoint', async () => {
    files += 1;
    const before = oauth.tokenRequests.length;
    const [one, two] = [load(), load()];
    expect(await call(await one.get('secured'))).toBe(200);
    expect(await call(await two.get('secured'))).toBe(200);
    expect(oauth.tokenRequests.length - before).toBe(1);
  });

  it('never shows the Redis URL or its password in toJSON()', async () => {
    files += 1;
    const registry = load();
    await registry.get('users');
    const text = JSON.stringify(registry);
    expect(text).toContain('${env:TEST_STORE_REDIS_URL}');
    expect(text).not.toContain(PASSWORD);
    const literal = createRegistry(
      parseConnectorsText(lines('connectors:', '  - name: a', `    baseUrl: ${api.url}`, `    store: { type: redis, url: "redis://admin:${PASSWORD}@127.0.0.1:${redis.port}/0?password=${PASSWORD}" }`), 'x.yaml'),
    );
    registries.push(literal);
    const shown = JSON.stringify(literal.toJSON());
    expect(shown).not.toContain(PASSWORD);
    expect(shown).toContain(`redis://[REDACTED]:[REDACTED]@127.0.0.1:${redis.port}/0`);
  });

  it('routes storeError to the connector\'s own events, without the password, and keeps serving (local)', async () => {
    files += 1;
    const registry = load();
    const users = await registry.get('users');
    const seen: ConnectorEvents['storeError'][] = [];
    users.on('storeError', (e) => seen.push(e));
    await redis.stop();
    try {
      expect(await call(users)).toBe(200);
      expect(seen.map((e) => [e.connector, e.store, e.policy]).sort()).toEqual([
        ['users', 'circuitBreaker', 'local'],
        ['users', 'rateLimit', 'local'],
      ]);
      for (const e of seen) expect(e.message).not.toContain(PASSWORD);
    } finally {
      // Closed first: a restarted Redis has no password until it is set again.
      await registry.closeAll();
      await redis.start();
      await admin.config('SET', 'requirepass', PASSWORD).catch(() => undefined);
    }
  });

  it('closes its Redis connections in closeAll()', async () => {
    files += 1;
    const registry = load();
    await registry.get('users');
    await registry.get('secured');
    const ours = async () => String(await admin.client('LIST')).split('\n').filter((line) => line.includes('name=ia-connectors')).length;
    expect(await ours()).toBeGreaterThan(0);
    await registry.closeAll();
    await expect.poll(ours, { timeout: 2000 }).toBe(0);
  });
});

describe('where a connector\'s store comes from', () => {
  it('its own store, else defaults.store, else the file\'s store, each taken whole', () => {
    const text = lines(
      'store: { type: redis, url: "${env:FILE_REDIS}" }',
      'connectors:',
      '  - { name: inherits, baseUrl: "http://127.0.0.1:9" }',
      '  - { name: own, baseUrl: "http://127.0.0.1:9", store: { type: memory } }',
    );
    const [inherits, own] = parseConnectorsText(text, 'f.yaml').connectors;
    expect(inherits?.store).toEqual({ type: 'redis', url: '${env:FILE_REDIS}', keyPrefix: 'iac:', onStoreError: 'local', commandTimeout: 100 });
    expect(own?.store).toEqual({ type: 'memory' });
    const withDefaults = lines(
      'store: { type: redis, url: "${env:FILE_REDIS}" }',
      'defaults: { store: { type: redis, url: "${env:DEFAULT_REDIS}", onStoreError: fail_open } }',
      'connectors:',
      '  - { name: inherits, baseUrl: "http://127.0.0.1:9" }',
      '  - { name: own, baseUrl: "http://127.0.0.1:9", store: { type: memory } }',
    );
    const [fromDefaults, stillOwn] = parseConnectorsText(withDefaults, 'g.yaml').connectors;
    expect(fromDefaults?.store).toMatchObject({ url: '${env:DEFAULT_REDIS}', onStoreError: 'fail_open' });
    expect(stillOwn?.store).toEqual({ type: 'memory' });
  });
});

describe('store config errors', () => {
  const file = (...store: string[]) => lines(...store, 'connectors:', '  - name: users', `    baseUrl: http://127.0.0.1:9`);

  it('names the field of a bad file-wide or per-connector store', () => {
    const missing = thrownSync(() => parseConnectorsText(file('store: { type: redis }'), 'a.yaml'));
    expect(missing.code).toBe('CONFIG');
    expect(missing.message).toMatch(/a\.yaml:1:\d+ store\.url: /);
    const kind = thrownSync(() => parseConnectorsText(file('store: { type: mongo }'), 'b.yaml'));
    expect(kind.message).toContain('store.type: must be { type: memory } or { type: redis');
    const notObject = thrownSync(() => parseConnectorsText(file('store: redis'), 'b.yaml'));
    expect(notObject.message).toContain('store: must be { type: memory } or { type: redis');
    const policy = thrownSync(() =>
      parseConnectorsText(lines('connectors:', '  - name: users', '    baseUrl: http://127.0.0.1:9', '    store: { type: redis, url: "${env:R}", onStoreError: maybe }'), 'c.yaml'),
    );
    expect(policy.message).toContain('connectors[0].store.onStoreError: must be one of local, fail_open, fail_closed');
  });

  it('never repeats a wrong URL, which may hold a password', () => {
    const error = thrownSync(() => parseConnectorsText(file('store: { type: redis, url: "http://admin:pw-literal-s3cret@cache:6379" }'), 'd.yaml'));
    expect(error.message).toContain('store.url: must be a redis:// or rediss:// URL');
    expect(error.message).not.toContain('pw-literal-s3cret');
  });

  it('reports an unset or wrong ${env:…} URL when the connector connects, naming the reference, never the value', async () => {
    const registry = createRegistry(parseConnectorsText(file('store: { type: redis, url: "${env:TEST_NO_SUCH_REDIS}" }'), 'e.yaml'));
    registries.push(registry);
    const unset = await thrown(registry.get('users'));
    expect(unset.code).toBe('CONFIG');
    expect(unset.message).toContain('${env:TEST_NO_SUCH_REDIS} is not set');
    expect(unset.message).toContain('store.url');
    vi.stubEnv('TEST_NO_SUCH_REDIS', 'mongodb://root:env-s3cret@db');
    const wrong = await thrown(registry.get('users'));
    expect(wrong.message).toContain('store.url of connector "users": the value of ${env:TEST_NO_SUCH_REDIS} is not a Redis URL; write redis://');
    expect(wrong.message).not.toContain('env-s3cret');
  });
});

function thrownSync(action: () => unknown) {
  try {
    action();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}
