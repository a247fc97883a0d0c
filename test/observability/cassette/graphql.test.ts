import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import { createGraphQLConnector, type GraphQLConnector } from '../../../src/protocols/graphql/connector.js';
import type { GraphQLConnectorOptions } from '../../../src/protocols/graphql/config.js';
import type { GraphQLResponse } from '../../../src/protocols/graphql/result.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import { cassetteLayer } from '../../../src/observability/cassette/layer.js';
import { startGraphQLServer } from '../../support/graphql-server.js';
import { observedError, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

const HELLO = 'query Hello($name: String) { hello(name: $name) }';
const ADD_USER = 'mutation AddUser($name: String!) { addUser(name: $name) { id name } }';
const USERS = '{ users { id name } }';
const WITH_SECRET = 'query User($id: ID!) { user(id: $id) { name secret } }';

function connector(cassette: Cassette, options: GraphQLConnectorOptions): GraphQLConnector {
  const api: GraphQLConnector = createGraphQLConnector(options, {
    layers: [cassetteLayer('graphql', { cassette, connector: options, redactor: () => api.redactor })],
  });
  return api;
}

function observed(res: GraphQLResponse): Record<string, unknown> {
  const { data, errors, extensions, status, ok, url, attempts } = res;
  return { data, errors, extensions, status, ok, url, attempts, contentType: res.headers['content-type'] };
}

async function script(api: GraphQLConnector): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(observed(await api.query(HELLO, { name: 'Ada' })));
  out.push(observed(await api.query(HELLO, { name: 'Grace' })));
  out.push(observed(await api.mutation(ADD_USER, { name: 'Linus' })));
  out.push(observed(await api.query(USERS)));
  const partial = await api.query(WITH_SECRET, { id: '1' });
  out.push(observed(partial));
  try {
    partial.throwIfErrors();
  } catch (error) {
    out.push(observedError(error));
  }
  return out;
}

async function session(mode: CassetteMode, dir: string, options: GraphQLConnectorOptions): Promise<unknown[]> {
  const api = connector(new Cassette({ dir, mode }), options);
  try {
    return await script(api);
  } finally {
    await api.disconnect();
  }
}

describe('GraphQL cassettes', () => {
  it('replays queries and a mutation with the server gone, as the same results', async () => {
    const dir = await tempDir();
    const server = await startGraphQLServer();
    const options = { name: 'books', baseUrl: server.url, subscriptions: {} };
    const live = await session('record', dir, options);
    expect(server.requests).toHaveLength(5);
    await server.close();
    const replayed = await session('replay', dir, options);

    expect(replayed).toEqual(live);
    expect(live[0]).toMatchObject({ data: { hello: 'Hello, Ada!' }, ok: true, attempts: 1 });
    expect(live[1]).toMatchObject({ data: { hello: 'Hello, Grace!' } });
    expect(live[3]).toMatchObject({ data: { users: [{ name: 'Ada' }, { name: 'Grace' }, { name: 'Linus' }] } });
    expect(live[4]).toMatchObject({ data: { user: { name: 'Ada', secret: null } }, errors: [{ message: 'secret is not readable' }], ok: false });
    expect(live[5]).toMatchObject({ code: 'GRAPHQL' });

    const file = JSON.parse(await readFile(join(dir, 'books.cassette.json'), 'utf8')) as { protocol: string; interactions: { request: Record<string, unknown> }[] };
    expect(file.protocol).toBe('graphql');
    expect(file.interactions[2]?.request).toMatchObject({ method: 'POST', operation: 'mutation', operationName: 'AddUser', variables: { name: 'Linus' } });
  });

  it('matches on variables: other variables are a CASSETTE_MISS naming the closest operation', async () => {
    const dir = await tempDir();
    const server = await startGraphQLServer();
    const options = { name: 'books', baseUrl: server.url };
    const recording = connector(new Cassette({ dir, mode: 'record' }), options);
    await recording.query(HELLO, { name: 'Ada' });
    await recording.mutation(ADD_USER, { name: 'Linus' });
    await recording.disconnect();
    await server.close();

    const replay = connector(new Cassette({ dir, mode: 'replay' }), options);
    expect((await replay.query(HELLO, { name: 'Ada' })).data).toEqual({ hello: 'Hello, Ada!' });
    const miss = await replay.query(HELLO, { name: 'Grace' }).catch((e: unknown) => e);
    expect(miss).toMatchObject({
      code: 'CASSETTE_MISS',
      message: expect.stringContaining(
        `no recorded answer for query Hello {"name":"Grace"} in cassette ${join(dir, 'books.cassette.json')}; the closest recorded request is query Hello {"name":"Ada"} (differs in variables: name)`,
      ),
    });
    await expect(replay.mutation(ADD_USER, { name: 'Ada' })).rejects.toMatchObject({ code: 'CASSETTE_MISS', message: expect.stringContaining('mutation AddUser {"name":"Linus"}') });
    await replay.disconnect();
  });

  it('refuses a subscription in replay with UNSUPPORTED saying subscriptions are not replayed', async () => {
    const dir = await tempDir();
    const server = await startGraphQLServer();
    const options = { name: 'books', baseUrl: server.url, subscriptions: { reconnectAttempts: 0 } };
    const recording = connector(new Cassette({ dir, mode: 'record' }), options);
    await recording.query(HELLO, { name: 'Ada' });
    await recording.disconnect();
    await server.close();

    const replay = connector(new Cassette({ dir, mode: 'replay' }), options);
    let failure: unknown;
    try {
      for await (const tick of replay.subscribe('subscription { countdown(from: 2) }')) void tick;
    } catch (error) {
      failure = error;
    }
    await replay.disconnect();
    expect(isConnectorError(failure) && failure.code).toBe('UNSUPPORTED');
    expect((failure as Error).message).toContain('GraphQL subscriptions are not replayed from cassettes');
  });
});
