import { afterEach, describe, expect, it } from 'vitest';
import type { GraphQLConnector } from '../../src/protocols/graphql/connector.js';
import type { GrpcConnector } from '../../src/protocols/grpc/connector.js';
import type { WebSocketConnector } from '../../src/protocols/websocket/connector.js';
import { createRegistry } from '../../src/registry/create.js';
import type { ConnectorRegistry } from '../../src/registry/registry.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { useSandbox } from './helpers.js';

const fixture = useSandbox();
let registry: ConnectorRegistry | undefined;
afterEach(async () => {
  await registry?.closeAll();
  registry = undefined;
});

async function connectors(): Promise<{ sandbox: Sandbox; registry: ConnectorRegistry }> {
  const sandbox = await fixture.start();
  registry = createRegistry(sandbox.connectorsConfig.connectors);
  return { sandbox, registry };
}

describe('the sandbox connectors of the new protocols, through the registry', () => {
  it('books (GraphQL): queries, adds a book, keeps partial data with its error, and subscribes', async () => {
    const books = await (await connectors()).registry.get<GraphQLConnector>('books');
    const added = books.subscribe<{ bookAdded: { title: string } }>('subscription { bookAdded { title } }')[Symbol.asyncIterator]();
    // Run a subscription to its end first, so bookAdded is registered on the shared socket before the mutation.
    const counted: unknown[] = [];
    for await (const event of books.subscribe('subscription Count($from: Int!) { countdown(from: $from, intervalMs: 10) }', { from: 3 })) counted.push(event.data);
    expect(counted).toEqual([{ countdown: 3 }, { countdown: 2 }, { countdown: 1 }]);

    const listed = await books.query<{ books: { id: string; title: string }[] }>('{ books { id title } }');
    expect(listed.data?.books.map((b) => b.title)).toEqual(['Dune', 'The Left Hand of Darkness', 'Neuromancer']);
    const created = await books.mutation('mutation Add($title: String!, $author: String!) { addBook(title: $title, author: $author) { id } }', { title: 'Kindred', author: 'Octavia E. Butler' });
    expect(created).toMatchObject({ ok: true, attempts: 1, data: { addBook: { id: '4' } } });
    expect((await added.next()).value).toMatchObject({ data: { bookAdded: { title: 'Kindred' } } });
    await added.return?.();

    const partial = await books.query('{ book(id: "1") { title stock } }');
    expect(partial.data).toEqual({ book: { title: 'Dune', stock: null } });
    expect(partial.errors).toEqual([expect.objectContaining({ message: 'the stock service is unavailable', path: ['book', 'stock'] })]);
  });

  it('catalog_grpc (gRPC): a unary call and a server stream through reflection; NOT_FOUND is not retried', async () => {
    const catalog = await (await connectors()).registry.get<GrpcConnector>('catalog_grpc');
    const product = await catalog.execute({ method: 'GetProduct', request: { sku: 'kite-04' } });
    expect(product.body).toEqual({ sku: 'kite-04', name: 'Stunt kite', region: 'us', price_cents: '5400', in_stock: true, tags: ['outdoor', 'toys'] });
    const stream = await catalog.serverStream<{ sku: string }>({ method: 'ListProducts', request: { region: 'us' } });
    const skus: string[] = [];
    for await (const message of stream) skus.push(message.sku);
    expect(skus).toEqual(['tent-03', 'kite-04']);
    await expect(catalog.execute({ method: 'GetProduct', request: { sku: 'nope' } })).rejects.toMatchObject({
      code: 'GRPC',
      grpcCode: 5,
      retryable: false,
      message: expect.stringContaining('no product "nope"'),
    });
  });

  it('events (WebSocket): requests matched to replies by id, a ticker, with the sandbox token in the handshake', async () => {
    const events = await (await connectors()).registry.get<WebSocketConnector>('events');
    const [sum, upper] = await Promise.all([events.request({ method: 'add', params: [19, 23] }), events.request({ method: 'upper', params: ['ada'] })]);
    expect(sum).toMatchObject({ result: 42 });
    expect(upper).toMatchObject({ result: 'ADA' });
    await events.send({ type: 'subscribe', topic: 'ACME', count: 2, interval_ms: 10 });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const message = await events.receive({ timeout: 2000 });
      const data = message.data as { type: string; seq?: number };
      seen.push(`${data.type}${data.seq ?? ''}`);
    }
    expect(seen).toEqual(['subscribed', 'tick1', 'tick2', 'done']);
  });

  it('events refuses a wrong token with AUTH, and neither token shows in the error', async () => {
    const { sandbox } = await connectors();
    const config = sandbox.connectorsConfig.connectors.find((c) => c.name === 'events');
    expect(config).toBeDefined();
    const wrong = 'sbx_ws_not-the-right-token';
    await using intruders = createRegistry([{ ...config!, name: 'intruder', auth: { type: 'bearer', token: wrong } }]);
    const error: unknown = await intruders
      .get<WebSocketConnector>('intruder')
      .then((intruder) => intruder.request({ method: 'echo' }))
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'AUTH' });
    const shown = JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details });
    expect(shown).not.toContain(wrong);
    expect(shown).not.toContain(sandbox.credentials.websocketToken);
  });

  it('every connector of the sandbox config is healthy', async () => {
    const report = await (await connectors()).registry.healthCheckAll();
    expect(report.map((r) => `${r.name}:${r.ok}`)).toEqual(['users_api:true', 'catalog:true', 'pricing:true', 'books:true', 'catalog_grpc:true', 'events:true']);
  });
});
