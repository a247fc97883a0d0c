import { buildSchema, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { json, startServer } from '../../support/index.js';
import { rejectionOf, useGraphQL } from './helpers.js';

const gql = useGraphQL();

const isIntrospection = (r: { body: string }): boolean => r.body.includes('IntrospectionQuery');

describe('documents are parsed before anything is sent', () => {
  test('a syntax error is GRAPHQL_SYNTAX with line and column, and nothing reaches the server', async () => {
    const { server, api } = await gql.start();
    const error = await rejectionOf(api.query('query Broken {\n  user(id: 1 {\n    name\n  }\n}'));
    expect(error).toMatchObject({ code: 'GRAPHQL_SYNTAX', details: { line: 2, column: 14 } });
    expect(error.message).toContain('GraphQL syntax error at line 2, column 14');
    expect(error.message).toContain('nothing was sent');
    expect(error.message).toContain('  user(id: 1 {\n             ^');
    expect(server.requests).toHaveLength(0);
    // Not even connected: the check runs before the chain.
    expect(api.state).toBe('idle');
  });

  test('an empty document is GRAPHQL_SYNTAX', async () => {
    const { api } = await gql.start();
    expect(await rejectionOf(api.query('   '))).toMatchObject({ code: 'GRAPHQL_SYNTAX' });
  });

  test('an unknown operation name is GRAPHQL_VALIDATION listing the operations the document defines', async () => {
    const { server, api } = await gql.start();
    const error = await rejectionOf(api.query('query A { hello } query B { hello }', undefined, { operationName: 'C' }));
    expect(error.code).toBe('GRAPHQL_VALIDATION');
    expect(error.message).toContain('operation "C" is not in the document, which defines: A, B');
    const missing = await rejectionOf(api.query('query A { hello } query B { hello }'));
    expect(missing.message).toContain('pass operationName to choose one');
    expect(server.requests).toHaveLength(0);
  });

  test('a missing required variable, or one the operation does not declare, is refused before sending', async () => {
    const { server, api } = await gql.start();
    const missing = await rejectionOf(api.query('query U($id: ID!) { user(id: $id) { name } }', {}));
    expect(missing.code).toBe('GRAPHQL_VALIDATION');
    expect(missing.message).toContain('requires variable $id (ID!)');
    const typo = await rejectionOf(api.query('query U($first: Int) { users(first: $first) { name } }', { frist: 1 }));
    expect(typo.message).toContain('variable "frist" is not declared by operation "U" (it declares: $first)');
    expect(server.requests).toHaveLength(0);
  });

  test('a DocumentNode (e.g. from codegen) is printed once and sent', async () => {
    const { server, api } = await gql.start();
    const document = parse('query Greet { hello }');
    await api.query(document);
    await api.query(document);
    expect(server.requests.map((r) => (JSON.parse(r.body) as { query: string }).query)).toEqual(['query Greet {\n  hello\n}', 'query Greet {\n  hello\n}']);
  });

  test('a subscription through execute() says to use subscribe()', async () => {
    const { api } = await gql.start();
    const error = await rejectionOf(api.execute({ query: 'subscription { ticks }' }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain('use subscribe()');
  });
});

describe('validateSchema', () => {
  test('introspects once per connector, also across reconnects, and validates every document', async () => {
    const { server, api } = await gql.start({ validateSchema: true });
    await Promise.all([api.query('{ hello }'), api.query('{ count(n: 1) }')]);
    await api.disconnect();
    await api.connect();
    await api.query('{ hello }');
    expect(server.requests.filter(isIntrospection)).toHaveLength(1);
    expect(server.requests.filter((r) => !isIntrospection(r))).toHaveLength(3);
  });

  test('a field the schema lacks is GRAPHQL_VALIDATION with its location, and the operation is not sent', async () => {
    const { server, api } = await gql.start({ validateSchema: true });
    const error = await rejectionOf(api.query('query Q {\n  hello\n  nope\n}'));
    expect(error.code).toBe('GRAPHQL_VALIDATION');
    expect(error.message).toContain('Cannot query field "nope" on type "Query". (line 3, column 3)');
    expect(error.details?.['graphqlErrors']).toHaveLength(1);
    expect(server.requests.filter((r) => !isIntrospection(r))).toHaveLength(0);
  });

  test('variables of the wrong type are GRAPHQL_VALIDATION naming the variable', async () => {
    const { server, api } = await gql.start({ validateSchema: true });
    const error = await rejectionOf(api.query('query C($n: Int!) { count(n: $n) }', { n: 'three' }));
    expect(error.code).toBe('GRAPHQL_VALIDATION');
    expect(error.message).toContain('Variable "$n" got invalid value "three"');
    expect(error.message).toContain('fix the variables');
    expect(server.requests.filter((r) => !isIntrospection(r))).toHaveLength(0);
  });

  test('SDL given in config is used without any introspection', async () => {
    const { server, api } = await gql.start({ validateSchema: true, schema: 'type Query { hello(name: String): String! }' });
    await api.query('{ hello }');
    expect(await rejectionOf(api.query('{ count(n: 1) }'))).toMatchObject({ code: 'GRAPHQL_VALIDATION' });
    expect(server.requests.filter(isIntrospection)).toHaveLength(0);
  });

  test('a GraphQLSchema object can be given in code', async () => {
    const { server, api } = await gql.start({ validateSchema: true, schema: buildSchema('type Query { hello: String }') });
    expect(await rejectionOf(api.query('{ users { id } }'))).toMatchObject({ code: 'GRAPHQL_VALIDATION' });
    expect(server.requests).toHaveLength(0);
  });

  test('a server that refuses introspection gives a GRAPHQL error saying how to go on; the next call tries again', async () => {
    const server = await startServer();
    gql.cleanup(() => server.close());
    server.route('POST', '/graphql', [json(200, { errors: [{ message: 'introspection is disabled' }] }), json(200, { errors: [{ message: 'still disabled' }] })]);
    const api = gql.connector({ baseUrl: server.url, validateSchema: true });
    const error = await rejectionOf(api.query('{ hello }'));
    expect(error.code).toBe('GRAPHQL');
    expect(error.message).toContain('introspection is disabled');
    expect(error.message).toContain('give the schema as SDL');
    await rejectionOf(api.query('{ hello }'));
    expect(server.requests).toHaveLength(2);
  });

  test('refreshSchema() makes the next validation introspect again', async () => {
    const { server, api } = await gql.start({ validateSchema: true });
    await api.query('{ hello }');
    api.refreshSchema();
    await api.query('{ hello }');
    expect(server.requests.filter(isIntrospection)).toHaveLength(2);
  });

  test('invalid SDL in config is a CONFIG error at creation', () => {
    expect(() => gql.connector({ baseUrl: 'http://127.0.0.1:9', schema: 'type Query {' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });
});
