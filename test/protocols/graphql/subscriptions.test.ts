import { describe, expect, test } from 'vitest';
import type { GraphQLExecutionResult } from '../../../src/protocols/graphql/result.js';
import type { GraphQLSubscription } from '../../../src/protocols/graphql/subscriptions/stream.js';
import { collect, nextEvent, rejectionOf, until, useGraphQL } from './helpers.js';

const gql = useGraphQL();
const TICKS = 'subscription Ticks { ticks }';

type Ticks = GraphQLSubscription<GraphQLExecutionResult<{ ticks: number }>>;

async function firstOf(sub: Ticks): Promise<number | undefined> {
  const step = await sub.next();
  return step.done ? undefined : step.value.data?.ticks;
}

describe('subscriptions over graphql-ws', () => {
  test('delivers each event as a typed result, in order', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const sub = api.subscribe<{ ticks: number }>(TICKS);
    const first = sub.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    server.pubsub.publish('ticks', 1);
    server.pubsub.publish('ticks', 2);
    expect((await first).value?.data).toEqual({ ticks: 1 });
    expect(await firstOf(sub)).toBe(2);
    await sub.return();
  });

  test('a server complete ends the iteration', async () => {
    const { api } = await gql.start({ subscriptions: {} });
    const seen: unknown[] = [];
    for await (const event of api.subscribe<{ countdown: number }>('subscription { countdown(from: 3) }')) seen.push(event.data?.countdown);
    expect(seen).toEqual([3, 2, 1]);
  });

  test('return() unsubscribes: the server drops the subscription and the socket closes after the last one', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const sub = api.subscribe(TICKS);
    const pending = sub.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    await sub.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    await until(() => server.pubsub.count('ticks') === 0 && server.sockets.size === 0, 'the unsubscribe and close');
    expect(sub.closed).toBe(true);
  });

  test('breaking out of for await unsubscribes', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const sub = api.subscribe<{ ticks: number }>(TICKS);
    const publisher = (async () => {
      await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
      server.pubsub.publish('ticks', 7);
    })();
    for await (const event of sub) {
      expect(event.data).toEqual({ ticks: 7 });
      break;
    }
    await publisher;
    await until(() => server.pubsub.count('ticks') === 0, 'the unsubscribe');
  });

  test('a server error message ends the iteration with GRAPHQL carrying its errors', async () => {
    const { api } = await gql.start({ subscriptions: {} });
    const sub = api.subscribe('subscription { nope }');
    const error = await rejectionOf(sub.next());
    expect(error.code).toBe('GRAPHQL');
    expect((error.details?.['graphqlErrors'] as { message: string }[])[0]?.message).toContain('Cannot query field "nope"');
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });

  test('an event with errors is a result; with throwOnErrors it ends the subscription as GRAPHQL', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const sub = api.subscribe(TICKS);
    const first = sub.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    server.pubsub.publish('ticks', 'not a number');
    const result = (await first).value;
    expect(result?.ok).toBe(false);
    expect(result?.errors?.[0]?.message).toContain('Int cannot represent');
    await sub.return();
    await until(() => server.pubsub.count('ticks') === 0, 'the first unsubscribe');

    const strict = gql.connector({ baseUrl: server.url, subscriptions: {}, throwOnErrors: true });
    const failing = strict.subscribe(TICKS);
    const next = failing.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the second subscription');
    server.pubsub.publish('ticks', 'still not a number');
    expect(await rejectionOf(next)).toMatchObject({ code: 'GRAPHQL' });
    await until(() => server.pubsub.count('ticks') === 0, 'the unsubscribe after the error');
  });

  test('connection_init carries the auth strategy credentials, also in the upgrade request; extra params are merged', async () => {
    const { server, api } = await gql.start({ subscriptions: { connectionParams: { client: 'etl' } }, auth: { type: 'bearer', token: 'tok-123456' } });
    const seen: unknown[] = [];
    for await (const event of api.subscribe<{ countdown: number }>('subscription { countdown(from: 1) }')) seen.push(event.data);
    expect(seen).toEqual([{ countdown: 1 }]);
    expect(server.connections[0]?.params).toEqual({ authorization: 'Bearer tok-123456', client: 'etl' });
    expect(server.connections[0]?.headers['authorization']).toBe('Bearer tok-123456');
  });

  test('a connectionParams function shapes the payload from the credentials', async () => {
    const { server, api } = await gql.start({
      subscriptions: { connectionParams: (creds) => ({ headers: { ...creds?.headers } }) },
      auth: { type: 'bearer', token: 'tok-654321' },
    });
    for await (const _ of api.subscribe('subscription { countdown(from: 1) }')) void _;
    expect(server.connections[0]?.params).toEqual({ headers: { authorization: 'Bearer tok-654321' } });
  });

  test('secret references in connectionParams are resolved once and never shown', async () => {
    process.env['GQL_TEST_WS_KEY'] = 'ws-key-7890';
    try {
      const { server, api } = await gql.start({ subscriptions: { connectionParams: { apiKey: '${env:GQL_TEST_WS_KEY}' } } });
      for await (const _ of api.subscribe('subscription { countdown(from: 1) }')) void _;
      expect(server.connections[0]?.params).toEqual({ apiKey: 'ws-key-7890' });
      expect(api.redactor.text('key ws-key-7890')).toBe('key [REDACTED]');
    } finally {
      delete process.env['GQL_TEST_WS_KEY'];
    }
  });

  test('concurrent subscriptions share one connection with distinct ids', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const a = api.subscribe<{ ticks: number }>(TICKS);
    const b = api.subscribe<{ ticks: number }>(TICKS);
    const [na, nb] = [firstOf(a), firstOf(b)];
    await until(() => server.pubsub.count('ticks') === 2, 'two server-side subscriptions');
    server.pubsub.publish('ticks', 5);
    expect(await Promise.all([na, nb])).toEqual([5, 5]);
    expect(server.connections).toHaveLength(1);
    expect(new Set(server.subscribes.map((s) => s.id)).size).toBe(2);
    await Promise.all([a.return(), b.return()]);
  });

  test('disconnect() completes active subscriptions and closes the socket', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const sub = api.subscribe(TICKS);
    const pending = sub.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    await api.disconnect();
    expect(await pending).toEqual({ value: undefined, done: true });
    await until(() => server.sockets.size === 0, 'the socket to close');
    const error = (() => {
      try {
        return api.subscribe(TICKS).next();
      } catch (e) {
        return Promise.reject(e);
      }
    })();
    expect(await rejectionOf(error)).toMatchObject({ code: 'NOT_CONNECTED' });
  });

  test('an AbortSignal ends the subscription with ABORTED', async () => {
    const { server, api } = await gql.start({ subscriptions: {} });
    const controller = new AbortController();
    const sub = api.subscribe(TICKS, undefined, { signal: controller.signal });
    const pending = sub.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ code: 'ABORTED' });
    await until(() => server.pubsub.count('ticks') === 0, 'the unsubscribe');
  });

  test('with validateSchema, a subscription is validated before it is sent', async () => {
    const { server, api } = await gql.start({ subscriptions: {}, validateSchema: true });
    const error = await rejectionOf(api.subscribe('subscription { nope }').next());
    expect(error.code).toBe('GRAPHQL_VALIDATION');
    expect(server.subscribes).toHaveLength(0);
  });
});

describe('reconnecting', () => {
  test('a server restart mid-subscription reconnects through the chain and resubscribes without an error', async () => {
    const { server, api } = await gql.start({ subscriptions: {}, retry: { maxAttempts: 10, baseDelay: 5, maxDelay: 20 } });
    const reconnects = collect(api, 'subscriptionReconnect');
    const sub = api.subscribe<{ ticks: number }>(TICKS);
    let next = firstOf(sub);
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    server.pubsub.publish('ticks', 1);
    expect(await next).toBe(1);
    next = firstOf(sub);
    const retried = nextEvent(api, 'retry');
    await server.stop();
    // The chain's retry layer reports the refused re-open; the server comes back while it retries.
    expect((await retried).reason).toBe('CONNECTION_REFUSED');
    await server.resume();
    await until(() => server.pubsub.count('ticks') === 1, 'the resubscription');
    server.pubsub.publish('ticks', 2);
    expect(await next).toBe(2);
    expect(reconnects).toEqual([expect.objectContaining({ connector: 'gql', reason: 'connection_lost', subscriptions: 1 })]);
    expect(server.subscribes.map((s) => s.id)).toEqual([server.subscribes[0]?.id, server.subscribes[0]?.id]);
    await sub.return();
  });

  test('a rotated credential reconnects with the new one and resubscribes; the consumer sees no error', async () => {
    const tokens = new Set(['Bearer token-a-123']);
    let current = 'token-a-123';
    const { server, api } = await gql.start({ subscriptions: {}, auth: { type: 'bearer', token: () => current } }, { tokens });
    const rotated = nextEvent(api, 'subscriptionReconnect');
    const sub = api.subscribe<{ ticks: number }>(TICKS);
    let next = firstOf(sub);
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    server.pubsub.publish('ticks', 1);
    expect(await next).toBe(1);
    next = firstOf(sub);
    tokens.add('Bearer token-b-456');
    current = 'token-b-456';
    // Any call that obtains the new credential (here a query) makes the subscription follow it.
    await api.query('{ hello }');
    expect(await rotated).toMatchObject({ reason: 'credentials_rotated', subscriptions: 1 });
    tokens.delete('Bearer token-a-123');
    await until(() => server.pubsub.count('ticks') === 1, 'the resubscription');
    server.pubsub.publish('ticks', 2);
    expect(await next).toBe(2);
    expect(server.connections.map((c) => c.params?.['authorization'])).toEqual(['Bearer token-a-123', 'Bearer token-b-456']);
    await sub.return();
  });

  test('credentials refused with 4403 are renewed and the subscription continues', async () => {
    const tokens = new Set(['Bearer token-a-123']);
    let current = 'token-a-123';
    const { server, api } = await gql.start({ subscriptions: {}, auth: { type: 'bearer', token: () => current } }, { tokens });
    const reconnected = nextEvent(api, 'subscriptionReconnect');
    const sub = api.subscribe<{ ticks: number }>(TICKS);
    const next = firstOf(sub);
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    tokens.clear();
    tokens.add('Bearer token-b-456');
    current = 'token-b-456';
    server.kick(4403, 'Forbidden');
    expect(await reconnected).toMatchObject({ reason: 'credentials_rejected', closeCode: 4403 });
    await until(() => server.pubsub.count('ticks') === 1, 'the resubscription');
    server.pubsub.publish('ticks', 3);
    expect(await next).toBe(3);
    await sub.return();
  });

  test('a credential that can expire is re-read while subscribed, and a new one reconnects', async () => {
    const tokens = new Set(['Bearer token-a-123', 'Bearer token-b-456']);
    let current = 'token-a-123';
    const { server, api } = await gql.start({ subscriptions: { credentialCheck: 20 }, auth: { type: 'bearer', token: () => current } }, { tokens });
    const rotated = nextEvent(api, 'subscriptionReconnect');
    const sub = api.subscribe(TICKS);
    const next = sub.next();
    await until(() => server.pubsub.count('ticks') === 1, 'the server-side subscription');
    current = 'token-b-456';
    expect(await rotated).toMatchObject({ reason: 'credentials_rotated' });
    await until(() => server.pubsub.count('ticks') === 1, 'the resubscription');
    server.pubsub.publish('ticks', 4);
    expect((await next).value?.data).toEqual({ ticks: 4 });
    await sub.return();
  });

  test('a static credential refused with 4403 ends the subscription with AUTH, without a reconnect loop', async () => {
    const { server, api } = await gql.start({ subscriptions: {}, auth: { type: 'bearer', token: 'wrong-token' } }, { tokens: new Set(['Bearer right-token']) });
    const error = await rejectionOf(api.subscribe(TICKS).next());
    expect(error.code).toBe('AUTH');
    expect(error.message).toContain('4403');
    expect(error.message).not.toContain('wrong-token');
    expect(server.connections).toHaveLength(1);
  });
});
