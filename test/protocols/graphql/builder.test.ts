import { Kind, parse, type ArgumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { graphqlMutation, graphqlQuery, graphqlSubscription } from '../../../src/protocols/graphql/builder/operation.js';
import { graphqlFragment } from '../../../src/protocols/graphql/builder/selection.js';
import { graphqlEnum, graphqlVariable } from '../../../src/protocols/graphql/builder/values.js';
import { thrownBy, useGraphQL } from './helpers.js';

const gql = useGraphQL();
const ATTACK = 'x") { admin } #';

function topField(query: string): FieldNode {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet.selections[0] as FieldNode;
}

describe('the query builder cannot inject', () => {
  test('a string argument that looks like GraphQL is printed escaped and parses back to the same single value', () => {
    const { query, variables } = graphqlQuery('Find').field('user', { args: { id: ATTACK } }, (u) => u.fields('name')).build();
    expect(variables).toEqual({});
    const field = topField(query);
    expect(field.selectionSet?.selections.map((s) => (s as FieldNode).name.value)).toEqual(['name']);
    expect(field.arguments).toHaveLength(1);
    expect(field.arguments?.[0]?.value).toEqual({ kind: Kind.STRING, value: ATTACK, block: false, loc: expect.anything() });
  });

  test('a variable keeps the value out of the document entirely', () => {
    const { query, variables } = graphqlQuery('Find').field('user', { args: { id: graphqlVariable('ID!', ATTACK) } }, (u) => u.fields('name')).build();
    expect(query).not.toContain('admin');
    expect(query).toContain('query Find($id: ID!)');
    expect(query).toContain('user(id: $id)');
    expect(variables).toEqual({ id: ATTACK });
  });

  test('strings inside lists and input objects stay values too', () => {
    const { query } = graphqlQuery()
      .field('users', { args: { filter: { name: ATTACK, tags: [ATTACK, 'b'] } } }, (u) => u.fields('id'))
      .build();
    const arg = topField(query).arguments?.[0] as ArgumentNode;
    expect(arg.value.kind).toBe(Kind.OBJECT);
    expect(JSON.stringify(arg.value)).toContain(JSON.stringify(ATTACK).slice(1, -1));
    expect(parse(query).definitions).toHaveLength(1);
  });

  test.each([
    ['a field name', () => graphqlQuery().field('user { admin }')],
    ['an alias', () => graphqlQuery().field('user', { alias: 'a: admin' })],
    ['an argument name', () => graphqlQuery().field('user', { args: { 'id: 1) { admin } #': 1 } })],
    ['an input field name', () => graphqlQuery().field('user', { args: { filter: { 'a: 1 } admin': 1 } } }).build()],
    ['an enum value', () => graphqlEnum('ASC) { admin }')],
    ['a variable type', () => graphqlVariable('ID!) { admin } query X($a: ID', 1)],
    ['a variable name', () => graphqlVariable('ID!', 1, 'id) { admin')],
    ['an operation name', () => graphqlQuery('Q { admin }')],
    ['a fragment name', () => graphqlFragment('F on User { admin } fragment G', 'User', (s) => s.fields('id'))],
    ['a type condition', () => graphqlQuery().on('User { admin }', (s) => s.fields('id'))],
  ])('%s that is not a GraphQL name is INVALID_REQUEST', (_what, build) => {
    const error = thrownBy(build);
    expect(error.code).toBe('INVALID_REQUEST');
  });

  test('values without a GraphQL literal are refused, naming the argument', () => {
    const error = thrownBy(() => graphqlQuery().field('count', { args: { n: Number.NaN } }).build());
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain('argument count.n is NaN');
    expect(thrownBy(() => graphqlQuery().field('count', { args: { n: undefined } }).build()).message).toContain('omit an argument instead of passing undefined');
    expect(thrownBy(() => graphqlQuery().field('at', { args: { when: new Date(0) } }).build()).message).toContain('is Date');
  });
});

describe('building operations', () => {
  test('nested selections, aliases, enums, literals of every kind', () => {
    const { query } = graphqlQuery('Feed')
      .field('user', { alias: 'me', args: { id: 7 } }, (u) =>
        u.fields('id', 'name').field('posts', { args: { first: 2, order: graphqlEnum('NEWEST'), ratio: 0.5, draft: false, tag: null } }, (p) => p.fields('title')),
      )
      .build();
    expect(query).toBe(
      'query Feed {\n  me: user(id: 7) {\n    id\n    name\n    posts(first: 2, order: NEWEST, ratio: 0.5, draft: false, tag: null) {\n      title\n    }\n  }\n}',
    );
  });

  test('named fragments are defined once however often they are spread; inline fragments have a type condition', () => {
    const bits = graphqlFragment('UserBits', 'User', (u) => u.fields('id', 'name'));
    const { query } = graphqlQuery('Two')
      .field('a', { alias: 'a', args: { id: 1 } }, (u) => u.spread(bits))
      .field('user', { alias: 'b', args: { id: 2 } }, (u) => u.spread(bits).on('Admin', (x) => x.fields('level')))
      .build();
    const definitions = parse(query).definitions;
    expect(definitions.map((d) => d.kind)).toEqual([Kind.OPERATION_DEFINITION, Kind.FRAGMENT_DEFINITION]);
    expect(query).toContain('... on Admin {');
    expect(query).toContain('fragment UserBits on User {');
  });

  test('variables are named after their argument, made unique, and reused for the same variable object', () => {
    const shared = graphqlVariable('Int', 5);
    const { query, variables } = graphqlQuery()
      .field('a', { args: { id: graphqlVariable('ID!', '1'), first: shared } }, (s) => s.fields('x'))
      .field('b', { args: { id: graphqlVariable('ID!', '2'), first: shared } }, (s) => s.fields('x'))
      .build();
    expect(variables).toEqual({ id: '1', first: 5, id2: '2' });
    expect(query).toContain('query ($id: ID!, $first: Int, $id2: ID!)');
  });

  test('an explicit variable name used for two values is refused', () => {
    const error = thrownBy(() =>
      graphqlQuery().field('a', { args: { x: graphqlVariable('ID', '1', 'v'), y: graphqlVariable('ID', '2', 'v') } }).build(),
    );
    expect(error.message).toContain('variable $v is given two different values');
  });

  test('builders are immutable: two operations from one base do not interfere', () => {
    const base = graphqlQuery('Base').field('hello');
    const a = base.field('count', { args: { n: 1 } }).build().query;
    const b = base.field('echo', { args: { text: 'b' } }).build().query;
    expect(a).not.toContain('echo');
    expect(b).not.toContain('count');
    expect(base.build().query).toBe('query Base {\n  hello\n}');
  });

  test('an empty operation or selection says what to add', () => {
    expect(thrownBy(() => graphqlMutation('M').build()).message).toContain('selects nothing');
    expect(thrownBy(() => graphqlQuery().field('user', (s) => s)).message).toContain('selection of field "user" is empty');
  });

  test('a built operation runs on a connector as is', async () => {
    const { server, api } = await gql.start({ validateSchema: true });
    const op = graphqlQuery('Find').field('user', { args: { id: graphqlVariable('ID!', '2') } }, (u) => u.fields('name')).build();
    expect((await api.query<{ user: { name: string } }>(op)).data).toEqual({ user: { name: 'Grace' } });
    const attack = graphqlQuery('Find').field('echo', { args: { text: ATTACK } }).build();
    expect((await api.query(attack)).data).toEqual({ echo: ATTACK });
    const add = graphqlMutation('Add').field('addUser', { args: { name: graphqlVariable('String!', 'Barbara') } }, (u) => u.fields('name')).build();
    expect((await api.mutation(add)).data).toEqual({ addUser: { name: 'Barbara' } });
    expect(server.requests.length).toBeGreaterThan(0);
  });

  test('a subscription can be built', () => {
    expect(graphqlSubscription('Ticks').field('ticks').build().query).toBe('subscription Ticks {\n  ticks\n}');
  });
});
