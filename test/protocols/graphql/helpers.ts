import { afterEach } from 'vitest';
import { createGraphQLConnector, type GraphQLConnector, type GraphQLConnectorExtras } from '../../../src/protocols/graphql/connector.js';
import type { GraphQLConnectorOptions } from '../../../src/protocols/graphql/config.js';
import type { GraphQLConnectorEvents } from '../../../src/protocols/graphql/events.js';
import { startGraphQLServer, type GraphQLServerOptions, type GraphQLTestServer } from '../../support/graphql-server.js';

type Options = Partial<GraphQLConnectorOptions>;

/** Starts GraphQL servers and connectors for a test; all are closed after it. */
export function useGraphQL(): {
  server: (options?: GraphQLServerOptions) => Promise<GraphQLTestServer>;
  connector: (options: Options & { baseUrl: string }, extras?: GraphQLConnectorExtras) => GraphQLConnector;
  start: (options?: Options, serverOptions?: GraphQLServerOptions) => Promise<{ server: GraphQLTestServer; api: GraphQLConnector }>;
  cleanup: (fn: () => Promise<unknown>) => void;
} {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    // Connectors first, so their sockets close before the servers go.
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  });
  const server = async (options?: GraphQLServerOptions): Promise<GraphQLTestServer> => {
    const started = await startGraphQLServer(options);
    cleanups.push(() => started.close());
    return started;
  };
  const connector = (options: Options & { baseUrl: string }, extras?: GraphQLConnectorExtras): GraphQLConnector => {
    const api = createGraphQLConnector({ name: 'gql', retry: { baseDelay: 1, maxDelay: 5 }, ...options }, extras);
    cleanups.push(() => api.disconnect());
    return api;
  };
  return {
    server,
    connector,
    start: async (options = {}, serverOptions) => {
      const s = await server(serverOptions);
      return { server: s, api: connector({ baseUrl: s.url, ...options }) };
    },
    cleanup: (fn) => void cleanups.push(fn),
  };
}

/** Resolves with the error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown>; retryable?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The error a synchronous call throws; fails the test when it returns. */
export function thrownBy(fn: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Records every payload of a connector event. */
export function collect<K extends keyof GraphQLConnectorEvents>(api: GraphQLConnector, event: K): GraphQLConnectorEvents[K][] {
  const seen: GraphQLConnectorEvents[K][] = [];
  api.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Resolves with the next payload of `event` (rejects after `ms` so a broken test fails instead of hanging). */
export function nextEvent<K extends keyof GraphQLConnectorEvents>(api: GraphQLConnector, event: K, ms = 5000): Promise<GraphQLConnectorEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${String(event)}" event within ${ms} ms`)), ms);
    const handle = api.on(event, (payload) => {
      clearTimeout(timer);
      handle.dispose();
      resolve(payload);
    });
  });
}

/** Waits on real event-loop turns until `condition` holds (I/O progress, not a sleep); fails after `ms`. */
export async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
