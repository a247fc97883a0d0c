import { describe, expect, test } from 'vitest';
import { startGraphQLService } from '../../../src/sandbox/graphql-service.js';
import { useGraphQL } from './helpers.js';

const gql = useGraphQL();

async function library() {
  const service = await startGraphQLService();
  gql.cleanup(() => service.close());
  return { service, api: gql.connector({ baseUrl: service.url, subscriptions: {}, validateSchema: true }) };
}

describe('the sandbox GraphQL service', () => {
  test('answers queries, validated against its introspected schema, over POST and GET', async () => {
    const { service, api } = await library();
    const res = await api.query<{ books: { title: string }[] }>('query Books($n: Int) { books(first: $n) { title } }', { n: 2 });
    expect(res.data?.books.map((b) => b.title)).toEqual(['Dune', 'The Left Hand of Darkness']);
    const viaGet = await api.query('query One { book(id: "3") { author } }', undefined, { method: 'GET' });
    expect(viaGet.data).toEqual({ book: { author: 'William Gibson' } });
    expect(service.graphqlUrl).toBe(`${service.url}/graphql`);
  });

  test('its stock field errors, giving partial data; a plain application/json client gets status 200', async () => {
    const { api } = await library();
    const res = await api.query('{ book(id: "1") { title stock } }', undefined, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.data).toEqual({ book: { title: 'Dune', stock: null } });
    expect(res.errors?.[0]).toMatchObject({ message: 'the stock service is unavailable', path: ['book', 'stock'], extensions: { code: 'STOCK_UNAVAILABLE' } });
  });

  test('a mutation is pushed to bookAdded subscribers', async () => {
    const { api } = await library();
    const added = api.subscribe<{ bookAdded: { title: string } }>('subscription { bookAdded { title } }');
    const next = added.next();
    // The subscription is live once a second one on the same connection has been answered.
    for await (const _ of api.subscribe('subscription { countdown(from: 1, intervalMs: 0) }')) void _;
    await api.mutation('mutation Add($t: String!, $a: String!) { addBook(title: $t, author: $a) { id } }', { t: 'Kindred', a: 'Octavia E. Butler' });
    expect((await next).value?.data).toEqual({ bookAdded: { title: 'Kindred' } });
    await added.return();
  });

  test('countdown counts down and completes', async () => {
    const { api } = await library();
    const seen: number[] = [];
    for await (const event of api.subscribe<{ countdown: number }>('subscription { countdown(from: 3, intervalMs: 1) }')) seen.push(event.data?.countdown ?? 0);
    expect(seen).toEqual([3, 2, 1]);
  });

  test('an invalid document sent anyway gets the spec status: 400 under graphql-response+json', async () => {
    const { service } = await library();
    const plain = gql.connector({ baseUrl: service.url });
    const res = await plain.query('{ nope }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toContain('Cannot query field "nope"');
  });

  test('close() stops it', async () => {
    const service = await startGraphQLService();
    await service.close();
    const api = gql.connector({ baseUrl: service.url, retry: { maxAttempts: 1 } });
    expect((await api.healthCheck()).error?.code).toBe('CONNECTION_REFUSED');
  });
});
