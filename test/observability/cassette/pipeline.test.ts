import { describe, expect, it } from 'vitest';
import { createStepRegistry } from '../../../src/pipeline/builtins.js';
import type { ConnectorLookup } from '../../../src/pipeline/connectors.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import type { RunResult } from '../../../src/pipeline/run-types.js';
import { createGraphQLConnector, type GraphQLConnector } from '../../../src/protocols/graphql/connector.js';
import type { GraphQLConnectorOptions } from '../../../src/protocols/graphql/config.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import { cassetteLayer } from '../../../src/observability/cassette/layer.js';
import { startGraphQLServer } from '../../support/graphql-server.js';
import { json, startServer } from '../../support/index.js';
import { sendJson, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

const PIPELINE = JSON.stringify({
  name: 'Cassette tour',
  parameters: { page_size: 2 },
  steps: [
    {
      id: 'list',
      type: 'api_call',
      config: { connector: 'users', endpoint: '/users', query: { limit: '{{ parameters.page_size }}' }, paginate: { type: 'link' }, output_field: 'users' },
    },
    {
      id: 'details',
      type: 'foreach',
      config: {
        items: '{{ list.users }}',
        concurrency: 3,
        step: { type: 'api_call', inputs: { id: '{{ item.id }}' }, config: { connector: 'users', endpoint: '/users/{id}' } },
      },
    },
    { id: 'warm_up', type: 'api_call', config: { connector: 'users', endpoint: '/flaky', output_field: 'service' } },
    {
      id: 'add',
      type: 'graphql',
      config: {
        connector: 'books',
        query: 'mutation AddUser($name: String!) { addUser(name: $name) { id name } }',
        variables: { name: '{{ details[2].name }}' },
        data_path: 'addUser',
      },
    },
    { id: 'everyone', type: 'graphql', config: { connector: 'books', query: 'query Users($first: Int) { users(first: $first) { name } }', variables: { first: 5 }, data_path: 'users' } },
  ],
  flow: {
    start_at: 'list',
    paths: [
      { from: 'list', to: 'details' },
      { from: 'list', to: 'warm_up' },
      { from: 'details', to: 'add' },
      { from: 'add', to: 'everyone' },
    ],
  },
  outputs: {
    users: '{{ list.users }}',
    details: '{{ details }}',
    service: '{{ warm_up.service.status }}',
    added: '{{ add }}',
    everyone: '{{ everyone }}',
  },
});

async function run(mode: CassetteMode, dir: string, usersOptions: RestConnectorOptions, booksOptions: GraphQLConnectorOptions): Promise<RunResult> {
  const cassette = new Cassette({ dir, mode });
  const users: RestConnector = createRestConnector(usersOptions, {
    layers: [cassetteLayer('rest', { cassette, connector: usersOptions, redactor: () => users.redactor })],
  });
  const books: GraphQLConnector = createGraphQLConnector(booksOptions, {
    layers: [cassetteLayer('graphql', { cassette, connector: booksOptions, redactor: () => books.redactor })],
  });
  const named: Record<string, unknown> = { users, books };
  const connectors: ConnectorLookup = { get: async (name) => named[name] as Awaited<ReturnType<ConnectorLookup['get']>> };
  try {
    return await runPipeline(PIPELINE, { connectors, steps: createStepRegistry() });
  } finally {
    await Promise.all([users.disconnect(), books.disconnect()]);
    await cassette.close();
  }
}

describe('a pipeline on cassettes', () => {
  it('gives the same result replayed with the network off as it did recorded', async () => {
    const dir = await tempDir();
    const rest = await startServer();
    const people = ['Ada', 'Grace', 'Linus', 'Barbara', 'Edsger'].map((name, i) => ({ id: String(i + 1), name }));
    rest.route('GET', '/api/users', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = Number(url.searchParams.get('limit'));
      // An absolute Link: a replay against another host and port follows it there.
      const next: Record<string, string> = page * limit < people.length ? { link: `<${rest.url}/api/users?limit=${limit}&page=${page + 1}>; rel="next"` } : {};
      sendJson(res, 200, people.slice((page - 1) * limit, page * limit), next);
    });
    for (const person of people) rest.route('GET', `/api/users/${person.id}`, json(200, { ...person, email: `${person.name.toLowerCase()}@example.test` }));
    rest.route('GET', '/api/flaky', [json(503, { status: 'warming up' }), json(200, { status: 'ready' })]);
    const graphql = await startGraphQLServer();
    const usersOptions = { name: 'users', baseUrl: `${rest.url}/api`, retry: { maxAttempts: 3, baseDelay: 1, maxDelay: 2 } };
    const booksOptions = { name: 'books', baseUrl: graphql.url };

    const recorded = await run('record', dir, usersOptions, booksOptions);
    expect(recorded.error).toBeUndefined();
    expect(recorded.outputs).toMatchObject({ service: 'ready', added: { name: 'Linus' }, everyone: [{ name: 'Ada' }, { name: 'Grace' }, { name: 'Linus' }] });
    expect((recorded.outputs['users'] as unknown[]).length).toBe(5);
    await Promise.all([rest.close(), graphql.close()]);

    // Replayed against other ports where nothing listens: requests match by path, answers follow the new origin.
    const elsewhere = { ...usersOptions, baseUrl: 'http://127.0.0.1:9/api' };
    const replayed = await run('replay', dir, elsewhere, { ...booksOptions, baseUrl: 'http://127.0.0.1:9' });
    expect(replayed.status).toBe('succeeded');
    expect(replayed.outputs).toEqual(recorded.outputs);
    const attempts = (r: RunResult) => Object.fromEntries(Object.entries(r.steps).map(([id, step]) => [id, [step.status, step.attempts]]));
    expect(attempts(replayed)).toEqual(attempts(recorded));
    expect(recorded.steps['warm_up']?.attempts).toBe(2);
  });
});
