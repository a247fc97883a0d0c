import { describe, expect, test } from 'vitest';
import { json, rawJson, startServer, text, type ScriptedServer } from '../../support/index.js';
import { collect, rejectionOf, useGraphQL } from './helpers.js';

const gql = useGraphQL();

async function scripted(): Promise<ScriptedServer> {
  const server = await startServer();
  gql.cleanup(() => server.close());
  return server;
}

function bodyOf(server: { requests: { body: string | Buffer }[] }, index: number): Record<string, unknown> {
  return JSON.parse(String(server.requests[index]?.body)) as Record<string, unknown>;
}

describe('GraphQL over HTTP', () => {
  test('a query is POSTed as JSON with query, variables and operationName, accepting both GraphQL media types', async () => {
    const { server, api } = await gql.start();
    const res = await api.query<{ hello: string }>('query Greet($name: String) { hello(name: $name) }', { name: 'Ada' });
    expect(res.data).toEqual({ hello: 'Hello, Ada!' });
    expect(res).toMatchObject({ ok: true, status: 200, errors: undefined, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/graphql');
    expect(request?.headers['accept']).toBe('application/graphql-response+json, application/json');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(bodyOf(server, 0)).toEqual({ query: 'query Greet($name: String) { hello(name: $name) }', variables: { name: 'Ada' }, operationName: 'Greet' });
    expect(res.headers['content-type']).toContain('application/graphql-response+json');
  });

  test('a result with errors keeps the partial data and exposes message, path and locations', async () => {
    const { api } = await gql.start();
    const res = await api.query<{ hello: string; broken: string | null }>('{ hello broken }');
    expect(res.ok).toBe(false);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ hello: 'Hello, world!', broken: null });
    expect(res.errors).toEqual([{ message: 'broken resolver', path: ['broken'], locations: [{ line: 1, column: 9 }] }]);
  });

  test('errors carry their extensions, and nested paths keep list indexes', async () => {
    const { api } = await gql.start();
    const res = await api.query('{ users { name secret } }');
    expect(res.data).toEqual({ users: [{ name: 'Ada', secret: null }, { name: 'Grace', secret: null }] });
    expect(res.errors?.map((e) => [e.path, e.extensions])).toEqual([
      [['users', 0, 'secret'], { code: 'FORBIDDEN' }],
      [['users', 1, 'secret'], { code: 'FORBIDDEN' }],
    ]);
  });

  test('throwOnErrors raises GRAPHQL with every error and the partial data in details', async () => {
    const { api } = await gql.start({ throwOnErrors: true });
    const error = await rejectionOf(api.query('query Both { hello broken }'));
    expect(error).toMatchObject({ code: 'GRAPHQL', retryable: false });
    expect(error.message).toContain('GraphQL operation "Both" returned 1 error: "broken resolver" at broken');
    expect(error.details?.['graphqlErrors']).toEqual([{ message: 'broken resolver', path: ['broken'], locations: [{ line: 1, column: 20 }] }]);
    expect(error.details?.['data']).toEqual({ hello: 'Hello, world!', broken: null });
  });

  test('throwIfErrors() on a result does the same on demand', async () => {
    const { api } = await gql.start();
    const res = await api.query('{ broken }');
    expect(() => res.throwIfErrors()).toThrow(expect.objectContaining({ code: 'GRAPHQL' }));
    const fine = await api.query('{ hello }');
    expect(fine.throwIfErrors()).toBe(fine);
  });

  test('reads a legacy application/json result, errors included', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', json(200, { data: { hello: 'hi', broken: null }, errors: [{ message: 'nope', path: ['broken'] }] }));
    const api = gql.connector({ baseUrl: server.url });
    const res = await api.query('{ hello broken }');
    expect(res.data).toEqual({ hello: 'hi', broken: null });
    expect(res.errors).toEqual([{ message: 'nope', path: ['broken'] }]);
    expect(res.headers['content-type']).toBe('application/json');
  });

  test('a request error under application/graphql-response+json (400, no data) is a result, not an exception, and is not retried', async () => {
    const { server, api } = await gql.start();
    const res = await api.query('{ nope }');
    expect(res.status).toBe(400);
    expect(res.ok).toBe(false);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.message).toContain('Cannot query field "nope"');
    expect(server.requests).toHaveLength(1);
  });

  test('a status without a GraphQL body keeps its status as HTTP_STATUS instead of becoming a 500', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', text(404, 'no such endpoint'));
    const api = gql.connector({ baseUrl: server.url });
    const error = await rejectionOf(api.query('{ hello }'));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', details: { status: 404, body: 'no such endpoint' } });
    expect(error.message).toContain('answered 404');
    expect(error.message).toContain('check baseUrl and endpoint');
  });

  test('a 2xx answer that is not a GraphQL result is INVALID_RESPONSE', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', rawJson(200, '{"status":"ok"}'));
    const api = gql.connector({ baseUrl: server.url });
    const error = await rejectionOf(api.query('{ hello }'));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('not a GraphQL result');
  });

  test('endpoint and baseUrl path are joined; an empty endpoint posts to baseUrl itself', async () => {
    const server = await scripted();
    server.route('POST', '/api/graphql', json(200, { data: { a: 1 } })).route('POST', '/gql', json(200, { data: { b: 2 } }));
    expect((await gql.connector({ baseUrl: `${server.url}/api/` }).query('{ a }')).data).toEqual({ a: 1 });
    expect((await gql.connector({ baseUrl: `${server.url}/gql`, endpoint: '' }).query('{ b }')).data).toEqual({ b: 2 });
  });

  test('config headers, call headers and extensions are sent', async () => {
    const { server, api } = await gql.start({ headers: { 'x-team': 'data' } });
    await api.query('{ hello }', undefined, { headers: { 'x-trace': 't1' }, extensions: { tracing: true } });
    expect(server.requests[0]?.headers).toMatchObject({ 'x-team': 'data', 'x-trace': 't1' });
    expect(bodyOf(server, 0)['extensions']).toEqual({ tracing: true });
  });

  test('execute() takes a request object and returns the same typed result', async () => {
    const { api } = await gql.start();
    const res = await api.execute({ query: 'query A { hello } query B { count(n: 3) }', operationName: 'B' });
    expect(res.data).toEqual({ count: 3 });
  });

  test('mutation() runs a mutation; query() refuses one, so it is never retried as if safe', async () => {
    const { server, api } = await gql.start();
    const added = await api.mutation<{ addUser: { id: string; name: string } }>('mutation Add($name: String!) { addUser(name: $name) { id name } }', { name: 'Linus' });
    expect(added.data?.addUser).toEqual({ id: '3', name: 'Linus' });
    const error = await rejectionOf(api.query('mutation { addUser(name: "x") { id } }'));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(error.message).toContain('use mutation()');
    expect(server.requests).toHaveLength(1);
  });

  test('with useGetForQueries a query goes as GET with URL parameters; a mutation still POSTs', async () => {
    const { server, api } = await gql.start({ useGetForQueries: true });
    const res = await api.query('query Greet($name: String) { hello(name: $name) }', { name: 'a b&c' });
    expect(res.data).toEqual({ hello: 'Hello, a b&c!' });
    await api.mutation('mutation { addUser(name: "z") { id } }');
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    const url = new URL(server.requests[0]?.url ?? '', server.url);
    expect(url.searchParams.get('query')).toBe('query Greet($name: String) { hello(name: $name) }');
    expect(url.searchParams.get('operationName')).toBe('Greet');
    expect(JSON.parse(url.searchParams.get('variables') ?? '')).toEqual({ name: 'a b&c' });
  });

  test('method GET on a mutation is refused before sending', async () => {
    const { server, api } = await gql.start();
    const error = await rejectionOf(api.mutation('mutation { addUser(name: "z") { id } }', undefined, { method: 'GET' }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain('GET for queries only');
    expect(server.requests).toHaveLength(0);
  });

  test('the request and response events report each HTTP exchange', async () => {
    const { api } = await gql.start();
    const responses = collect(api, 'response');
    await api.query('{ hello }');
    expect(responses).toEqual([expect.objectContaining({ connector: 'gql', attempt: 1, method: 'POST', status: 200 })]);
  });
});

describe('automatic persisted queries', () => {
  const QUERY = 'query Greet { hello }';

  test('sends the hash first, the full query on PersistedQueryNotFound, and the hash alone afterwards', async () => {
    const { server, api } = await gql.start({ persistedQueries: true }, { persistedQueries: true });
    expect((await api.query(QUERY)).data).toEqual({ hello: 'Hello, world!' });
    expect((await api.query(QUERY)).data).toEqual({ hello: 'Hello, world!' });
    const bodies = server.requests.map((_, i) => bodyOf(server, i));
    const hash = (bodies[0]?.['extensions'] as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bodies.map((b) => typeof b['query'])).toEqual(['undefined', 'string', 'undefined']);
    expect(bodies.map((b) => (b['extensions'] as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash)).toEqual([hash, hash, hash]);
  });

  test('with GET, the hash goes in the URL and the full query falls back to POST', async () => {
    const { server, api } = await gql.start({ persistedQueries: true, useGetForQueries: true }, { persistedQueries: true });
    await api.query(QUERY);
    await api.query(QUERY);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
    expect(new URL(server.requests[2]?.url ?? '', server.url).searchParams.get('query')).toBeNull();
  });

  test('PersistedQueryNotSupported turns hashing off for the connector', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', [json(200, { errors: [{ message: 'PersistedQueryNotSupported' }] }), json(200, { data: { hello: 'hi' } })]);
    const api = gql.connector({ baseUrl: server.url, persistedQueries: true });
    expect((await api.query(QUERY)).data).toEqual({ hello: 'hi' });
    await api.query(QUERY);
    const bodies = server.requests.map((_, i) => bodyOf(server, i));
    expect(bodies.map((b) => [typeof b['query'], b['extensions'] === undefined])).toEqual([
      ['undefined', false],
      ['string', true],
      ['string', true],
    ]);
  });
});

describe('healthCheck', () => {
  test('asks { __typename } and is healthy when it answers', async () => {
    const { server, api } = await gql.start();
    const health = await api.healthCheck();
    expect(health).toMatchObject({ ok: true, status: 200 });
    expect(bodyOf(server, 0)['query']).toBe('{ __typename }');
  });

  test('never throws: a refused connection is reported', async () => {
    const server = await scripted();
    const url = server.url;
    await server.close();
    const api = gql.connector({ baseUrl: url, retry: { maxAttempts: 1 } });
    const health = await api.healthCheck();
    expect(health).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
  });
});
