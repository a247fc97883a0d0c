import { afterEach, vi } from 'vitest';
import type { WebSocketConnector, WebSocketConnectorExtras } from '../../../src/protocols/websocket/connector.js';
import { createWebSocketConnector } from '../../../src/protocols/websocket/create.js';
import type { WebSocketConnectorOptions } from '../../../src/protocols/websocket/config.js';
import { startWsServer, type WsServerOptions, type WsTestServer } from '../../support/ws-server.js';

type Options = Partial<Omit<WebSocketConnectorOptions, 'protocol'>>;

/** Starts a `ws` server and a connector pointing at it; both are closed after each test. */
export function useWsFixture(): {
  start: (options?: Options, serverOptions?: WsServerOptions, extras?: WebSocketConnectorExtras) => Promise<{ server: WsTestServer; ws: WebSocketConnector }>;
  connector: (url: string, options?: Options, extras?: WebSocketConnectorExtras) => WebSocketConnector;
  server: (options?: WsServerOptions) => Promise<WsTestServer>;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.allSettled(cleanups.splice(0).reverse().map((c) => c()));
  });
  const connector = (url: string, options: Options = {}, extras?: WebSocketConnectorExtras): WebSocketConnector => {
    const ws = createWebSocketConnector({ name: 'feed', baseUrl: url, heartbeat: false, ...options }, extras);
    cleanups.push(() => ws.disconnect());
    return ws;
  };
  const server = async (options?: WsServerOptions): Promise<WsTestServer> => {
    const s = await startWsServer(options);
    cleanups.push(() => s.close());
    return s;
  };
  return {
    connector,
    server,
    start: async (options = {}, serverOptions, extras) => {
      const s = await server(serverOptions);
      return { server: s, ws: connector(s.url, options, extras) };
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

/** Fake timers for the clocks the connector reads; setImmediate stays real so sockets make progress. */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
}

/** Lets real I/O run without moving the fake clock. */
export async function ioTurns(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Polls `condition` on real event-loop turns (the fake clock stays still); fails after `maxTurns`. */
export async function until(condition: () => boolean, what: string, maxTurns = 20_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Moves the fake clock `stepMs` at a time, letting I/O run between steps, until `condition` holds. */
export async function driveUntil(condition: () => boolean, what: string, stepMs = 10, maxMs = 600_000): Promise<void> {
  for (let elapsed = 0; elapsed <= maxMs; elapsed += stepMs) {
    await ioTurns();
    if (condition()) return;
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}
