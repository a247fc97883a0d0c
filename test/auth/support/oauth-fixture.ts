import { afterAll, afterEach, beforeEach, expect, vi } from 'vitest';
import type { ConnectorEvents } from '../../../src/core/connector-events.js';
import { isConnectorError, type ConnectorError } from '../../../src/core/errors.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { startJwtApiServer, type JwtApiServer } from '../../support/jwt-api-server.js';
import { startOAuthServer, type OAuthServerOptions, type OAuthServer } from '../../support/oauth-server.js';
import { createLeakWatch, type LeakWatch } from './leak-watch.js';

/** The client secret of the fixture's `etl` client. */
export const CLIENT_SECRET = 'cs-3f9a1c7e-oauth-client-secret';

/** A token server and an API that accepts its tokens, fresh for every test, plus helpers. */
export interface OAuthFixture {
  readonly oauth: OAuthServer;
  readonly api: JwtApiServer;
  readonly leaks: LeakWatch;
  /** Replaces both servers, e.g. to register other clients. */
  restart(options: OAuthServerOptions): Promise<void>;
  /** An oauth2 REST connector for client `etl` against the API; retry off unless `extra` turns it on. */
  connector(auth?: Record<string, unknown>, extra?: Partial<RestConnectorOptions>): RestConnector;
  refreshEvents(c: RestConnector): ConnectorEvents['authRefresh'][];
  authError(promise: Promise<unknown>): Promise<ConnectorError>;
}

/** Registers the hooks of the current file and returns the fixture; the file fails if a secret leaked. */
export function useOAuthFixture(): OAuthFixture {
  const leaks = createLeakWatch();
  leaks.secret(CLIENT_SECRET);
  const connectors: RestConnector[] = [];
  let oauth: OAuthServer | undefined;
  let api: JwtApiServer | undefined;

  const start = async (options: OAuthServerOptions): Promise<void> => {
    oauth = await startOAuthServer(options);
    api = await startJwtApiServer({ oauth });
  };
  const stop = async (): Promise<void> => {
    if (oauth) leaks.secret(...oauth.issued);
    await Promise.all([oauth?.close(), api?.close()]);
  };

  beforeEach(() => start({ clients: [{ id: 'etl', secret: CLIENT_SECRET }], lifetimeSeconds: 60 }));
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(connectors.splice(0).map((c) => c.disconnect()));
    await stop();
  });
  afterAll(() => {
    leaks.restore();
    expect(leaks.leaks()).toEqual([]);
  });

  const fixture: OAuthFixture = {
    get oauth() {
      return oauth as OAuthServer;
    },
    get api() {
      return api as JwtApiServer;
    },
    leaks,
    async restart(options) {
      await stop();
      await start(options);
    },
    connector(auth = {}, extra = {}) {
      const c = createRestConnector({
        name: 'users',
        baseUrl: fixture.api.url,
        auth: { type: 'oauth2', tokenUrl: fixture.oauth.tokenUrl, clientId: 'etl', clientSecret: CLIENT_SECRET, ...auth } as RestConnectorOptions['auth'],
        // Off unless a test turns it on, so each test sees exactly the requests it caused.
        retry: { maxAttempts: 1 },
        ...extra,
      });
      leaks.watch(c);
      connectors.push(c);
      return c;
    },
    refreshEvents(c) {
      const seen: ConnectorEvents['authRefresh'][] = [];
      c.on('authRefresh', (e) => seen.push(e));
      return seen;
    },
    async authError(promise) {
      const error = await leaks.rejection(promise);
      if (!isConnectorError(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
      return error;
    },
  };
  return fixture;
}
