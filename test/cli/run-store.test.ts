import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startRedis, startServer, type ScriptedServer, type TestRedis } from '../support/index.js';
import { cli, useWorkdir } from './helpers.js';

const workdir = useWorkdir();
let redis: TestRedis;
let api: ScriptedServer;

beforeAll(async () => {
  redis = await startRedis();
  api = await startServer();
  for (const id of [1, 2, 3]) api.route('GET', `/items/${id}`, json(200, { ok: true }));
});

afterAll(async () => {
  await api.close();
  await redis.close();
});

const pipeline = {
  name: 'Three items',
  steps: [{ id: 'each', type: 'foreach', config: { items: [1, 2, 3], concurrency: 1, step: { type: 'api_call', config: { connector: 'items', endpoint: '/items/{item}' } } } }],
  flow: { start_at: 'each' },
  outputs: { n: '{{ steps.each.result }}' },
};

describe('ia-connectors run with a shared store', () => {
  it('takes rate-limit tokens from the Redis the file names, with the URL read from the command environment', async () => {
    const cwd = await workdir.dir();
    await writeFile(join(cwd, 'p.json'), JSON.stringify(pipeline));
    const yaml = [
      'store: { type: redis, url: "${env:CLI_REDIS_URL}", keyPrefix: "cli-run:", commandTimeout: 2000 }',
      'connectors:',
      '  - name: items',
      `    baseUrl: ${api.url}`,
      '    rateLimit: { perSecond: 100, burst: 10 }',
    ].join('\n');
    await writeFile(join(cwd, 'c.yaml'), yaml);
    const { code, stderr } = await cli(['run', 'p.json', '-c', 'c.yaml', '-q'], { cwd, env: { CLI_REDIS_URL: redis.url } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const admin = new Redis(redis.url);
    try {
      const keys = await admin.keys('cli-run:*');
      expect(keys.some((k) => k.includes('items'))).toBe(true);
    } finally {
      admin.disconnect();
    }
  });

  it('a store URL variable missing from the environment is exit 2 before any request, naming the field', async () => {
    const cwd = await workdir.dir();
    await writeFile(join(cwd, 'p.json'), JSON.stringify(pipeline));
    await writeFile(join(cwd, 'c.yaml'), ['connectors:', '  - name: items', `    baseUrl: ${api.url}`, '    store: { type: redis, url: "${env:NOT_SET_REDIS}" }'].join('\n'));
    const before = api.requests.length;
    const { code, stderr } = await cli(['run', 'p.json', '-c', 'c.yaml', '-q'], { cwd, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('store.url');
    expect(stderr).toContain('NOT_SET_REDIS');
    expect(api.requests.length).toBe(before);
  });
});
