import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestConnector } from '../../src/protocols/rest/connector.js';
import { apiCallStep, runPipeline } from '../../src/pipeline/index.js';
import { startTestServer, type TestServer } from './support/http-server.js';
import { lookupOf } from './support/undici-caller.js';

// The same behaviour as the undici-caller tests, through the project's REST connector.
let server: TestServer;
let users: ReturnType<typeof createRestConnector>;

beforeAll(async () => {
  server = await startTestServer((req) => {
    if (req.path === '/v1/users/ada') return { body: { id: 1, name: 'Ada', post_count: 1 } };
    if (req.path === '/v1/users/1/posts') return { body: [{ id: 10 }] };
    if (req.path === '/v1/items') {
      const page = Number(req.query.get('page') ?? 1);
      const next = page < 2 ? { link: `</v1/items?page=${page + 1}>; rel="next"` } : undefined;
      return { headers: next, body: [`item-${page}`] };
    }
    if (req.path === '/v1/escape') return { headers: { link: '<http://evil.invalid/steal>; rel="next"' }, body: ['x'] };
    return undefined;
  });
  users = createRestConnector({ name: 'users_api', baseUrl: `${server.url}/v1` });
});
afterAll(async () => {
  await users.disconnect();
  await server.close();
});

describe('pipelines through createRestConnector', () => {
  it('runs the user-report example and encodes a hostile path parameter', async () => {
    const json = await readFile(new URL('./fixtures/user-report.pipeline.json', import.meta.url), 'utf8');
    const connectors = lookupOf({ users_api: users });
    const result = await runPipeline(json, { connectors });
    expect(result.outputs).toEqual({ user: { id: 1, name: 'Ada', post_count: 1 }, posts: [{ id: 10 }] });
    const hostile = await runPipeline(json, { connectors, parameters: { username: '../admin' } });
    expect(hostile.error).toMatchObject({ code: 'STEP', status: 404, stepId: 'fetch_user' });
    expect(server.requests.at(-1)?.url).toBe('/v1/users/..%2Fadmin');
  });

  it('follows a relative Link under a base path, and the connector refuses one to another origin', async () => {
    const registry = lookupOf({ users_api: users });
    expect(await apiCallStep({}, { connector: 'users_api', endpoint: '/items', paginate: { type: 'link' } }, { registry })).toEqual(['item-1', 'item-2']);
    await expect(apiCallStep({}, { connector: 'users_api', endpoint: '/escape', paginate: { type: 'link' } }, { registry })).rejects.toMatchObject({
      code: 'UNSAFE_ENDPOINT',
    });
    expect(server.requests.at(-1)?.path).toBe('/v1/escape');
  });
});
