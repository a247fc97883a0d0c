import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCallStep, createStepRegistry, runPipeline } from '../../src/pipeline/index.js';
import { startTestServer, type TestServer } from './support/http-server.js';
import { createUndiciCaller, lookupOf } from './support/undici-caller.js';
import { pipelineOf } from './support/helpers.js';
import type { ConnectorLookup } from '../../src/pipeline/index.js';

let server: TestServer;
let registry: ConnectorLookup;

beforeAll(async () => {
  server = await startTestServer((req) => {
    if (req.path === '/users/ada') return { body: { id: 1, name: 'Ada' } };
    if (req.path.startsWith('/users/')) return { status: 404, body: { error: 'no such user' } };
    if (req.path === '/echo') return { status: 201, body: { method: req.method, query: Object.fromEntries(req.query), header: req.headers['x-trace'] ?? null, body: req.body ?? null } };
    return undefined;
  });
  registry = lookupOf({ users: createUndiciCaller(server.url) });
});
afterAll(() => server.close());

describe('apiCallStep', () => {
  it('fills the endpoint from the context and returns { [output_field]: body }', async () => {
    const out = await apiCallStep({ username: 'ada' }, { connector: 'users', method: 'get', endpoint: '/users/{username}', output_field: 'user' }, { registry });
    expect(out).toEqual({ user: { id: 1, name: 'Ada' } });
  });

  it('returns the body itself without output_field', async () => {
    expect(await apiCallStep({ username: 'ada' }, { connector: 'users', endpoint: '/users/{username}' }, { registry })).toEqual({ id: 1, name: 'Ada' });
  });

  it('URL-encodes path parameters: ../admin reaches the server as ..%2Fadmin, never /admin', async () => {
    const before = server.requests.length;
    await expect(apiCallStep({ username: '../admin' }, { connector: 'users', endpoint: '/users/{username}/posts' }, { registry })).rejects.toMatchObject({
      code: 'STEP',
      status: 404,
    });
    const seen = server.requests.slice(before).map((r) => r.url);
    expect(seen).toEqual(['/users/..%2Fadmin/posts']);
    expect(seen.some((url) => url.startsWith('/admin'))).toBe(false);
  });

  it('sends query, headers and a JSON body', async () => {
    const out = await apiCallStep(
      {},
      { connector: 'users', method: 'POST', endpoint: '/echo', query: { q: 'a b', tag: ['x', 'y'], skip: null }, headers: { 'x-trace': 't-1' }, body: { n: 1 } },
      { registry },
    );
    expect(out).toEqual({ method: 'POST', query: { q: 'a b', tag: 'y' }, header: 't-1', body: { n: 1 } });
    const last = server.requests.at(-1);
    expect(last?.query.getAll('tag')).toEqual(['x', 'y']);
    expect(last?.query.has('skip')).toBe(false);
  });

  it('takes the body from an input named by body_field', async () => {
    const out = await apiCallStep({ payload: { hello: 'world' } }, { connector: 'users', method: 'PUT', endpoint: '/echo', body_field: 'payload' }, { registry });
    expect(out).toMatchObject({ method: 'PUT', body: { hello: 'world' } });
    await expect(apiCallStep({}, { connector: 'users', method: 'PUT', endpoint: '/echo', body_field: 'payload' }, { registry })).rejects.toMatchObject({
      code: 'TEMPLATE',
      message: 'api_call: body_field "payload" names no input; inputs are: (none)',
    });
  });

  it('fails with a STEP error carrying the status when the status is not the expected one', async () => {
    await expect(apiCallStep({ username: 'eve' }, { connector: 'users', endpoint: '/users/{username}' }, { registry, stepId: 'load' })).rejects.toMatchObject({
      code: 'STEP',
      status: 404,
      message: `step "load": GET ${server.url}/users/eve answered 404, expected 2xx`,
    });
    await expect(apiCallStep({}, { connector: 'users', method: 'POST', endpoint: '/echo', expect_status: 200 }, { registry })).rejects.toMatchObject({
      status: 201,
      message: expect.stringContaining('answered 201, expected 200'),
    });
  });

  it('accepts the statuses listed in expect_status', async () => {
    const out = await apiCallStep({ username: 'eve' }, { connector: 'users', endpoint: '/users/{username}', expect_status: [200, 404], output_field: 'user' }, { registry });
    expect(out).toEqual({ user: { error: 'no such user' } });
  });

  it('refuses a placeholder without an input (TEMPLATE, never an empty segment)', async () => {
    const before = server.requests.length;
    await expect(apiCallStep({ user: 'ada' }, { connector: 'users', endpoint: '/users/{username}' }, { registry, stepId: 'fetch' })).rejects.toMatchObject({
      code: 'TEMPLATE',
      message: 'step "fetch": endpoint placeholder {username} has no input "username" (inputs: user); add "inputs": { "username": "{{ ... }}" }',
    });
    await expect(apiCallStep({ username: null }, { connector: 'users', endpoint: '/users/{username}' }, { registry })).rejects.toMatchObject({
      message: 'api_call: endpoint placeholder {username} input "username" is null; a path placeholder needs a string, number or boolean',
    });
    expect(server.requests.length).toBe(before);
  });

  it('passes an unknown connector error through', async () => {
    await expect(apiCallStep({}, { connector: 'nope', endpoint: '/x' }, { registry })).rejects.toMatchObject({ code: 'UNKNOWN_CONNECTOR' });
  });

  it('rejects bad settings with the field and fix', async () => {
    await expect(apiCallStep({}, { connector: 'users', endpoint: '/x', method: 'FETCH' }, { registry })).rejects.toMatchObject({
      code: 'PIPELINE',
      message: expect.stringContaining('method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS'),
    });
  });
});

describe('api_call step in a pipeline', () => {
  it('resolves templates in inputs and config, records attempts, and names the step in errors', async () => {
    const pipeline = pipelineOf(
      [
        { id: 'user', type: 'api_call', inputs: { username: '{{ parameters.who }}' }, config: { connector: 'users', endpoint: '/users/{username}', output_field: 'user' } },
        {
          id: 'echo',
          type: 'api_call',
          config: { connector: 'users', method: 'POST', endpoint: '/echo', query: { id: '{{ user.user.id }}' }, body: { name: '{{ user.user.name }}', id: '{{ user.user.id }}' } },
        },
      ],
      [['user', 'echo']],
      { parameters: { who: 'ada' } },
    );
    const result = await runPipeline(pipeline, { connectors: registry, steps: createStepRegistry() });
    expect(result.status).toBe('succeeded');
    expect(result.steps['user']).toMatchObject({ status: 'succeeded', attempts: 1, result: { user: { id: 1, name: 'Ada' } } });
    expect(result.steps['echo']?.result).toEqual({ method: 'POST', query: { id: '1' }, header: null, body: { name: 'Ada', id: 1 } });

    const failed = await runPipeline(pipeline, { connectors: registry, parameters: { who: 'eve' } });
    expect(failed.error).toMatchObject({ code: 'STEP', status: 404, stepId: 'user' });
    expect(failed.steps['echo']?.status).toBe('skipped');
  });

  it('fails the step with UNKNOWN_CONNECTOR for a connector the lookup does not know', async () => {
    const pipeline = pipelineOf([{ id: 'a', type: 'api_call', config: { connector: 'ghost', endpoint: '/x' } }], []);
    const result = await runPipeline(pipeline, { connectors: registry });
    expect(result.steps['a']?.error).toEqual({ code: 'UNKNOWN_CONNECTOR', message: 'no connector named "ghost"' });
  });
});
