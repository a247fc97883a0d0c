import { afterEach } from 'vitest';
import { createRestConnector, type RestConnector, type RestConnectorOptions, type RestConnectorExtras } from '../../../src/index.js';
import { startServer, type ScriptedServer, type StartServerOptions } from '../../support/index.js';

/** Starts a scripted server and a connector pointing at it; both are closed after the test. */
export function useRestFixture(): {
  start: (options?: Partial<RestConnectorOptions>, serverOptions?: StartServerOptions, extras?: RestConnectorExtras) => Promise<{ server: ScriptedServer; api: RestConnector }>;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(cleanups.splice(0).map((c) => c()));
  });
  return {
    start: async (options = {}, serverOptions, extras) => {
      const server = await startServer(serverOptions);
      const api = createRestConnector({ name: 'test_api', baseUrl: server.url, ...options }, extras);
      cleanups.push(() => api.disconnect(), () => server.close());
      return { server, api };
    },
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
