import type { ConnectorConfigInput } from '../registry/protocols.js';
import { sandboxConnectorsConfig, sandboxEnv } from './connectors-config.js';
import { sandboxCredentials, type SandboxCredentials } from './credentials.js';
import { startGraphQLService } from './graphql-service.js';
import { startGrpcService } from './grpc-service.js';
import { startHttpService, type SandboxAccessLog } from './http-service.js';
import { listening } from './listen-error.js';
import { oauthRoutes } from './oauth-routes.js';
import type { ResilienceSettings } from './resilience-routes.js';
import { startRestService } from './rest-service.js';
import { TokenStore } from './token-store.js';
import { sandboxUrls, type SandboxUrls } from './urls.js';
import { startWebSocketService } from './websocket-service.js';

/**
 * Options of {@link startSandbox}; all optional.
 *
 * @example
 * ```ts
 * import type { SandboxOptions } from 'ia-connectors';
 * const o: SandboxOptions = { restPort: 4010, oauthPort: 4011, grpcPort: 4013, tokenTtlSeconds: 60, flakyFailures: 1 };
 * ```
 */
export interface SandboxOptions {
  /** Port of the REST API on 127.0.0.1. @default 0 (a random free port) */
  restPort?: number;
  /** Port of the OAuth server on 127.0.0.1. @default 0 (a random free port) */
  oauthPort?: number;
  /** Port of the GraphQL service (HTTP and graphql-ws) on 127.0.0.1. @default 0 (a random free port) */
  graphqlPort?: number;
  /** Port of the gRPC service on 127.0.0.1. @default 0 (a random free port) */
  grpcPort?: number;
  /** Port of the WebSocket service on 127.0.0.1. @default 0 (a random free port) */
  websocketPort?: number;
  /** Fixed credentials; the ones not given are random. */
  credentials?: Partial<SandboxCredentials>;
  /** Lifetime of issued access tokens. @default 3600 */
  tokenTtlSeconds?: number;
  /** Consecutive 503s of `GET /flaky` before it answers 200. @default 2 */
  flakyFailures?: number;
  /** Fixed window of `GET /limited`. @default { limit: 3, windowMs: 1000 } */
  rateLimit?: ResilienceSettings['rateLimit'];
  /** Called after each response of the REST API and the OAuth server, e.g. to print an access log. */
  onRequest?: (entry: SandboxAccessLog) => void;
}

/**
 * A running sandbox.
 *
 * @example
 * ```ts
 * import { startSandbox } from 'ia-connectors';
 * await using sandbox = await startSandbox();
 * console.log(sandbox.urls.rest, sandbox.urls.graphqlEndpoint, sandbox.urls.grpc, sandbox.urls.websocket);
 * ```
 */
export interface Sandbox extends AsyncDisposable {
  readonly urls: SandboxUrls;
  /** The credentials the sandbox accepts (secrets: do not log them). */
  readonly credentials: SandboxCredentials;
  /** A ready connectors config (`users_api`, `catalog`, `pricing`, `books`, `catalog_grpc`, `events`) pointing at this sandbox. */
  readonly connectorsConfig: { connectors: ConnectorConfigInput[] };
  /** The variables `examples/sandbox.connectors.yaml` reads (`SANDBOX_CLIENT_SECRET`, ...), with this sandbox's values. */
  readonly env: Readonly<Record<string, string>>;
  /** Access tokens issued so far. */
  readonly tokensIssued: number;
  /** Stops every service and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<void>;
}

/**
 * Starts the embedded sandbox on 127.0.0.1: a REST API (users with cursor and Link
 * pagination, posts, catalog, prices behind an API key, an audit log, a flaky endpoint,
 * a rate-limited endpoint), an OAuth 2.0 server issuing the bearer tokens the users
 * API requires, a GraphQL library (queries, a mutation, subscriptions), a gRPC catalog
 * (unary and server-streaming calls, health, reflection) and a WebSocket service
 * (request/response by id and a ticker, behind a bearer token). Nothing leaves the
 * loopback interface. A port that cannot be opened is a `CONFIG` error naming it, and
 * the services already started are stopped.
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
  const log = options.onRequest ? { onRequest: options.onRequest } : {};
  const services: Closable[] = [];
  const started = async <T extends Closable>(service: Promise<T>): Promise<T> => {
    const running = await service;
    services.push(running);
    return running;
  };
  try {
    // One after another, so that a port that cannot be opened leaves exactly the started ones to stop.
    const oauth = await started(startHttpService('oauth', oauthRoutes(credentials, tokens), { ...log, port: options.oauthPort ?? 0 }));
    const resilience = { flakyFailures: options.flakyFailures ?? 2, rateLimit: options.rateLimit ?? { limit: 3, windowMs: 1000 } };
    const rest = await started(startRestService({ credentials, tokens, resilience, ...log, port: options.restPort ?? 0 }));
    const graphql = await started(listening('graphql', options.graphqlPort, (port) => startGraphQLService({ port })));
    const grpc = await started(listening('grpc', options.grpcPort, (port) => startGrpcService({ port })));
    const websocket = await started(listening('websocket', options.websocketPort, (port) => startWebSocketService({ port, token: credentials.websocketToken })));
    const urls = sandboxUrls({ rest: rest.port, oauth: oauth.port, graphql: graphql.port, grpc: grpc.port, websocket: websocket.port });
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => (closing ??= closeAll(services));
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
    await closeAll(services);
    throw error;
  }
}

async function closeAll(services: readonly Closable[]): Promise<void> {
  await Promise.all(services.map((s) => s.close()));
}
