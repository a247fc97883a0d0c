import { catalogRoutes } from './catalog-routes.js';
import type { SandboxCredentials } from './credentials.js';
import { seedPeople } from './data.js';
import { requireApiKey, requireBearer } from './guards.js';
import { startHttpService, type HttpService, type SandboxAccessLog } from './http-service.js';
import type { SandboxRoute } from './http-types.js';
import { resilienceRoutes, type ResilienceSettings } from './resilience-routes.js';
import type { TokenStore } from './token-store.js';
import { usersRoutes } from './users-routes.js';

/**
 * What the sandbox REST API needs: who may call it, and how its resilience
 * endpoints behave.
 *
 * @example
 * ```ts
 * import type { RestServiceOptions } from './rest-service.js';
 * declare const credentials: import('ia-connectors').SandboxCredentials;
 * declare const tokens: import('./token-store.js').TokenStore;
 * const o: RestServiceOptions = { credentials, tokens, resilience: { flakyFailures: 2, rateLimit: { limit: 3, windowMs: 1000 } } };
 * ```
 */
export interface RestServiceOptions {
  credentials: SandboxCredentials;
  /** The access tokens the OAuth server issued, which the users API accepts. */
  tokens: TokenStore;
  resilience: ResilienceSettings;
  port?: number;
  onRequest?: (entry: SandboxAccessLog) => void;
}

/**
 * Starts the sandbox REST API: users and posts behind a bearer token, the catalog,
 * prices behind an API key, a flaky and a rate-limited endpoint, and an index at `/`.
 *
 * @example
 * ```ts
 * import { startRestService } from './rest-service.js';
 * declare const options: import('./rest-service.js').RestServiceOptions;
 * const rest = await startRestService(options);
 * await rest.close();
 * ```
 */
export function startRestService(options: RestServiceOptions): Promise<HttpService> {
  const { credentials, tokens } = options;
  const bearer = (handler: Parameters<typeof requireBearer>[1]) => requireBearer(tokens, handler);
  const apiKey = (handler: Parameters<typeof requireApiKey>[1]) => requireApiKey(credentials.apiKey, handler);
  const routes: SandboxRoute[] = [
    { method: 'GET', path: '/health', handler: () => ({ status: 200, body: { status: 'ok' } }) },
    ...usersRoutes(seedPeople(), bearer),
    ...catalogRoutes(apiKey),
    ...resilienceRoutes(options.resilience),
  ];
  const index = { service: 'ia-connectors sandbox', endpoints: routes.map((r) => `${r.method} ${r.path}`) };
  routes.push({ method: 'GET', path: '/', handler: () => ({ status: 200, body: index }) });
  return startHttpService('rest', routes, { port: options.port ?? 0, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
}
