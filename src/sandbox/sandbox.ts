import type { ConnectorConfigInput } from '../registry/protocols.js';
import { catalogRoutes } from './catalog-routes.js';
import { sandboxConnectorsConfig, sandboxEnv, sandboxUrls, type SandboxUrls } from './connectors-config.js';
import { sandboxCredentials, type SandboxCredentials } from './credentials.js';
import { seedPeople } from './data.js';
import { requireApiKey, requireBearer } from './guards.js';
import { startHttpService, type HttpService, type SandboxAccessLog } from './http-service.js';
import { oauthRoutes } from './oauth-routes.js';
import { resilienceRoutes, type ResilienceSettings } from './resilience-routes.js';
import { TokenStore } from './token-store.js';
import { usersRoutes } from './users-routes.js';

/**
 * Options of {@link startSandbox}; all optional.
 *
 * @example
 * ```ts
 * import type { SandboxOptions } from 'ia-connectors';
 * const o: SandboxOptions = { restPort: 4010, oauthPort: 4011, tokenTtlSeconds: 60, flakyFailures: 1 };
 * ```
 */
export interface SandboxOptions {
  /** Port of the REST API on 127.0.0.1. @default 0 (a random free port) */
  restPort?: number;
  /** Port of the OAuth server on 127.0.0.1. @default 0 (a random free port) */
  oauthPort?: number;
  /** Fixed credentials; the ones not given are random. */
  credentials?: Partial<SandboxCredentials>;
  /** Lifetime of issued access tokens. @default 3600 */
  tokenTtlSeconds?: number;
  /** Consecutive 503s of `GET /flaky` before it answers 200. @default 2 */
  flakyFailures?: number;
  /** Fixed window of `GET /limited`. @default { limit: 3, windowMs: 1000 } */
  rateLimit?: ResilienceSettings['rateLimit'];
  /** Called after each response, e.g. to print an access log. */
  onRequest?: (entry: SandboxAccessLog) => void;
}

/**
 * A running sandbox.
 *
 * @example
 * ```ts
 * import { startSandbox } from 'ia-connectors';
 * await using sandbox = await startSandbox();
 * console.log(sandbox.urls.rest);
 * ```
 */
export interface Sandbox extends AsyncDisposable {
  readonly urls: SandboxUrls;
  /** The credentials the sandbox accepts (secrets: do not log them). */
  readonly credentials: SandboxCredentials;
  /** A ready connectors config (`users_api`, `catalog`, `pricing`) pointing at this sandbox. */
  readonly connectorsConfig: { connectors: ConnectorConfigInput[] };
  /** The variables `examples/sandbox.connectors.yaml` reads (`SANDBOX_CLIENT_SECRET`, ...), with this sandbox's values. */
  readonly env: Readonly<Record<string, string>>;
  /** Access tokens issued so far. */
  readonly tokensIssued: number;
  /** Stops every service and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the embedded sandbox on 127.0.0.1: a REST API (users with cursor and Link
 * pagination, posts, catalog, prices behind an API key, an audit log, a flaky endpoint,
 * a rate-limited endpoint) and an OAuth 2.0 server issuing the bearer tokens the users
 * API requires. Nothing leaves the loopback interface.
 *
 * @example
 * ```ts
 * import { startSandbox, createRegistry } from 'ia-connectors';
 * const sandbox = await startSandbox();
 * const registry = createRegistry(sandbox.connectorsConfig.connectors);
 * const users = await registry.get('users_api');
 * await users.execute({ method: 'GET', endpoint: '/users/{name}', params: { name: 'ada' } });
 * await registry.closeAll();
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const credentials = sandboxCredentials(options.credentials);
  const tokens = new TokenStore(options.tokenTtlSeconds ?? 3600);
  const bearer = (handler: Parameters<typeof requireBearer>[1]) => requireBearer(tokens, handler);
  const apiKey = (handler: Parameters<typeof requireApiKey>[1]) => requireApiKey(credentials.apiKey, handler);
  const log = options.onRequest ? { onRequest: options.onRequest } : {};
  const services: HttpService[] = [];
  try {
    // Each service is one entry here; GraphQL, gRPC and WebSocket services start the same way.
    const oauth = await startHttpService('oauth', oauthRoutes(credentials, tokens), { ...log, port: options.oauthPort ?? 0 });
    services.push(oauth);
    const routes = [
      { method: 'GET', path: '/health', handler: () => ({ status: 200, body: { status: 'ok' } }) },
      ...usersRoutes(seedPeople(), bearer),
      ...catalogRoutes(apiKey),
      ...resilienceRoutes({ flakyFailures: options.flakyFailures ?? 2, rateLimit: options.rateLimit ?? { limit: 3, windowMs: 1000 } }),
    ];
    const index = { service: 'ia-connectors sandbox', endpoints: routes.map((r) => `${r.method} ${r.path}`) };
    routes.push({ method: 'GET', path: '/', handler: () => ({ status: 200, body: index }) });
    const rest = await startHttpService('rest', routes, { ...log, port: options.restPort ?? 0 });
    services.push(rest);
    const urls = sandboxUrls(rest.port, oauth.port);
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => (closing ??= Promise.all(services.map((s) => s.close())).then(() => undefined));
    return {
      urls,
      credentials,
      connectorsConfig: sandboxConnectorsConfig(urls, credentials),
      env: sandboxEnv(credentials),
      get tokensIssued() {
        return tokens.issued;
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await Promise.all(services.map((s) => s.close()));
    throw error;
  }
}
