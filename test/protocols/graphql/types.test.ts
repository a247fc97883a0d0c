import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { afterAll, describe, expectTypeOf, test } from 'vitest';
import { createGraphQLConnector } from '../../../src/protocols/graphql/connector.js';
import type { GraphQLExecutionResult, GraphQLResponse } from '../../../src/protocols/graphql/result.js';

type UserQuery = { user: { id: string; name: string } | null };
type UserVariables = { id: string };

describe('typed results', () => {
  const api = createGraphQLConnector({ name: 'typed', baseUrl: 'http://127.0.0.1:9', subscriptions: {} });
  afterAll(() => api.disconnect());
  const UserDoc = parse('query User($id: ID!) { user(id: $id) { id name } }') as TypedDocumentNode<UserQuery, UserVariables>;

  test('a TypedDocumentNode types data and variables', () => {
    expectTypeOf(api.query(UserDoc, { id: '1' })).resolves.toEqualTypeOf<GraphQLResponse<UserQuery>>();
    // @ts-expect-error the variables must match the document
    void (() => api.query(UserDoc, { id: 1 }));
  });

  test('explicit generics type a text document', () => {
    expectTypeOf(api.query<{ hello: string }>('{ hello }')).resolves.toHaveProperty('data').toEqualTypeOf<{ hello: string } | null | undefined>();
  });

  test('subscriptions yield typed execution results', async () => {
    const Ticks = parse('subscription { ticks }') as TypedDocumentNode<{ ticks: number }, Record<string, never>>;
    const sub = api.subscribe(Ticks);
    await sub.return();
    type Yielded = typeof sub extends AsyncIterable<infer T> ? T : never;
    expectTypeOf<Yielded>().toEqualTypeOf<GraphQLExecutionResult<{ ticks: number }>>();
  });
});
