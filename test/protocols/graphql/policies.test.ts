import { afterEach, describe, expect, test, vi } from 'vitest';
import { json, startServer, status, text, type Behaviour, type ScriptedServer } from '../../support/index.js';
import { drive, useFakeClock } from '../../policies/fake-clock.js';
import { collect, rejectionOf, useGraphQL } from './helpers.js';

const gql = useGraphQL();
const OK = json(200, { data: { ok: true } });

afterEach(() => {
  vi.useRealTimers();
});

async function scripted(...answers: Behaviour[]): Promise<ScriptedServer> {
  const server = await startServer();
  gql.cleanup(() => server.close());
  server.route('POST', '/graphql', answers);
  return server;
}

describe('retry through the GraphQL connector', () => {
  test('a query is retried after 503 with the configured backoff', async () => {
    useFakeClock();
    const server = await scripted(status(503), status(503), OK);
    const api = gql.connector({ baseUrl: server.url, retry: { jitter: 'none', baseDelay: 100 } });
    const retries = collect(api, 'retry');
    const res = await drive(api.query('{ ok }'));
    expect(res.data).toEqual({ ok: true });
    expect(res.attempts).toBe(3);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.reason])).toEqual([
      [2, 100, 'status 503'],
      [3, 200, 'status 503'],
    ]);
    const [a, b] = server.requests.map((r) => r.at);
    expect((b as number) - (a as number)).toBeGreaterThanOrEqual(100);
  });

  test('a 429 with Retry-After waits as asked', async () => {
    useFakeClock();
    const server = await scripted(status(429, { 'retry-after': '2' }), OK);
    const api = gql.connector({ baseUrl: server.url, retry: { jitter: 'none', baseDelay: 10 } });
    const retries = collect(api, 'retry');
    await drive(api.query('{ ok }'));
    expect(retries).toEqual([{ connector: 'gql', attempt: 2, delayMs: 2000, reason: 'status 429' }]);
  });

  test('a mutation is not retried: one request, and the 503 surfaces', async () => {
    const server = await scripted(status(503), OK);
    const api = gql.connector({ baseUrl: server.url });
    const error = await rejectionOf(api.mutation('mutation { pay }'));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', details: { status: 503 } });
    expect(server.requests).toHaveLength(1);
  });

  test('a mutation declared idempotent is retried', async () => {
    const server = await scripted(status(503), OK);
    const api = gql.connector({ baseUrl: server.url });
    const res = await api.mutation('mutation { pay }', undefined, { idempotent: true });
    expect(res.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  test('retryMutations lets retry repeat every mutation', async () => {
    const server = await scripted(status(502), OK);
    const api = gql.connector({ baseUrl: server.url, retryMutations: true });
    expect((await api.mutation('mutation { pay }')).attempts).toBe(2);
  });

  test('with retry.idempotencyKey auto, a mutation carries one key for all its attempts and is retried', async () => {
    const server = await scripted(status(503), OK);
    const api = gql.connector({ baseUrl: server.url, retry: { idempotencyKey: 'auto', baseDelay: 1, maxDelay: 5 } });
    await api.mutation('mutation { pay }');
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys).toEqual([keys[0], keys[0]]);
  });

  test('GraphQL errors in a 200 result are the answer: not retried', async () => {
    const server = await scripted(json(200, { data: null, errors: [{ message: 'not found' }] }), OK);
    const api = gql.connector({ baseUrl: server.url });
    const res = await api.query('{ ok }');
    expect(res.errors).toEqual([{ message: 'not found' }]);
    expect(server.requests).toHaveLength(1);
  });

  test('the circuit breaker opens on failing queries and refuses further calls without sending them', async () => {
    const server = await scripted(status(500));
    const api = gql.connector({ baseUrl: server.url, retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 2, openDuration: 60_000 } });
    await rejectionOf(api.query('{ ok }'));
    await rejectionOf(api.query('{ ok }'));
    const error = await rejectionOf(api.query('{ ok }'));
    expect(error.code).toBe('CIRCUIT_OPEN');
    expect(server.requests).toHaveLength(2);
  });

  test('results with GraphQL errors do not count against the breaker', async () => {
    const server = await scripted(json(200, { data: null, errors: [{ message: 'no' }] }));
    const api = gql.connector({ baseUrl: server.url, retry: { maxAttempts: 1 }, circuitBreaker: { threshold: 2, openDuration: 60_000 } });
    for (let i = 0; i < 4; i++) expect((await api.query('{ ok }')).ok).toBe(false);
    expect(server.requests).toHaveLength(4);
  });
});

describe('auth through the GraphQL connector', () => {
  test('a bearer token goes in Authorization; after a 401 a token provider is asked again and the call repeated once', async () => {
    const server = await scripted(text(401, 'expired'), OK);
    let n = 0;
    const api = gql.connector({ baseUrl: server.url, auth: { type: 'bearer', token: () => `token-${++n}-abcdef` } });
    const res = await api.query('{ ok }');
    expect(res.data).toEqual({ ok: true });
    expect(server.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer token-1-abcdef', 'Bearer token-2-abcdef']);
  });

  test('api keys in the query string reach the URL of a POST', async () => {
    const server = await scripted(OK);
    const api = gql.connector({ baseUrl: server.url, auth: { type: 'api_key', apiKey: 'k-123456', in: 'query', name: 'key' } });
    await api.query('{ ok }');
    expect(server.requests[0]?.url).toBe('/graphql?key=k-123456');
  });

  test('a static credential refused with 401 is not retried: the 401 surfaces', async () => {
    const server = await scripted(text(401, 'no'));
    const api = gql.connector({ baseUrl: server.url, auth: { type: 'bearer', token: 'static-token-1' } });
    expect(await rejectionOf(api.query('{ ok }'))).toMatchObject({ code: 'HTTP_STATUS', details: { status: 401 } });
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  test('the total timeout ends a slow call with TIMEOUT', async () => {
    useFakeClock();
    const server = await startServer();
    gql.cleanup(() => server.close());
    server.route('POST', '/graphql', () => undefined);
    const api = gql.connector({ baseUrl: server.url, timeout: { total: 500 } });
    const error = await drive(rejectionOf(api.query('{ ok }')));
    expect(error.code).toBe('TIMEOUT');
  });
});
