/**
 * The port of each sandbox service on 127.0.0.1.
 *
 * @example
 * ```ts
 * import type { SandboxPorts } from 'ia-connectors';
 * const ports: SandboxPorts = { rest: 4010, oauth: 4011, graphql: 4012, grpc: 4013, websocket: 4014 };
 * ```
 */
export interface SandboxPorts {
  rest: number;
  oauth: number;
  graphql: number;
  grpc: number;
  websocket: number;
}

/**
 * Where a running sandbox listens.
 *
 * @example
 * ```ts
 * import { sandboxUrls, SANDBOX_PORTS, type SandboxUrls } from 'ia-connectors';
 * const urls: SandboxUrls = sandboxUrls(SANDBOX_PORTS);
 * urls.graphqlEndpoint; // 'http://127.0.0.1:4012/graphql'
 * ```
 */
export interface SandboxUrls {
  /** The REST API: users, posts, catalog, prices, flaky and rate-limited endpoints. */
  rest: string;
  /** The OAuth 2.0 authorization server (issuer). */
  oauth: string;
  /** Its token endpoint. */
  tokenUrl: string;
  /** The GraphQL service, the `baseUrl` of a GraphQL connector (whose default endpoint is `/graphql`). */
  graphql: string;
  /** The GraphQL endpoint itself, for queries and mutations over HTTP. */
  graphqlEndpoint: string;
  /** The same endpoint over WebSocket (graphql-ws), for subscriptions. */
  graphqlSubscriptions: string;
  /** The gRPC target, `127.0.0.1:<port>`, plaintext, with server reflection. */
  grpc: string;
  /** The WebSocket service, the `baseUrl` of a WebSocket connector; its endpoints are `/ws` and `/echo`. */
  websocket: string;
}

/**
 * The ports `ia-connectors sandbox` listens on unless told otherwise, and which
 * `examples/sandbox.connectors.yaml` points at.
 *
 * @example
 * ```ts
 * import { SANDBOX_PORTS } from 'ia-connectors';
 * SANDBOX_PORTS.rest; // 4010
 * SANDBOX_PORTS.grpc; // 4013
 * ```
 */
export const SANDBOX_PORTS: Readonly<SandboxPorts> = Object.freeze({ rest: 4010, oauth: 4011, graphql: 4012, grpc: 4013, websocket: 4014 });

/**
 * The sandbox URLs for given ports on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { sandboxUrls, SANDBOX_PORTS } from 'ia-connectors';
 * sandboxUrls(SANDBOX_PORTS).tokenUrl; // 'http://127.0.0.1:4011/oauth/token'
 * sandboxUrls({ ...SANDBOX_PORTS, grpc: 50051 }).grpc; // '127.0.0.1:50051'
 * ```
 */
export function sandboxUrls(ports: Readonly<SandboxPorts>): SandboxUrls {
  const host = '127.0.0.1';
  const oauth = `http://${host}:${ports.oauth}`;
  const graphql = `http://${host}:${ports.graphql}`;
  return {
    rest: `http://${host}:${ports.rest}`,
    oauth,
    tokenUrl: `${oauth}/oauth/token`,
    graphql,
    graphqlEndpoint: `${graphql}/graphql`,
    graphqlSubscriptions: `ws://${host}:${ports.graphql}/graphql`,
    grpc: `${host}:${ports.grpc}`,
    websocket: `ws://${host}:${ports.websocket}`,
  };
}
