import { stringify } from 'yaml';
import type { ConnectorConfigInput } from '../registry/protocols.js';
import type { SandboxCredentials } from './credentials.js';
import type { SandboxUrls } from './urls.js';

/**
 * The environment variable a sandbox connectors file reads each credential from.
 *
 * @example
 * ```ts
 * import { SANDBOX_ENV_NAMES } from './connectors-config.js';
 * SANDBOX_ENV_NAMES.websocketToken; // 'SANDBOX_WEBSOCKET_TOKEN'
 * ```
 */
export const SANDBOX_ENV_NAMES: Readonly<Record<keyof SandboxCredentials, string>> = Object.freeze({
  clientId: 'SANDBOX_CLIENT_ID',
  clientSecret: 'SANDBOX_CLIENT_SECRET',
  apiKey: 'SANDBOX_API_KEY',
  websocketToken: 'SANDBOX_WEBSOCKET_TOKEN',
});

const CREDENTIAL_KEYS = Object.keys(SANDBOX_ENV_NAMES) as (keyof SandboxCredentials)[];

/**
 * The credential references a connectors file for the sandbox uses.
 *
 * @example
 * ```ts
 * import { SANDBOX_ENV_REFERENCES } from './connectors-config.js';
 * SANDBOX_ENV_REFERENCES.clientSecret; // '${env:SANDBOX_CLIENT_SECRET}'
 * ```
 */
export const SANDBOX_ENV_REFERENCES: Readonly<SandboxCredentials> = Object.freeze(
  Object.fromEntries(CREDENTIAL_KEYS.map((key) => [key, `\${env:${SANDBOX_ENV_NAMES[key]}}`])) as unknown as SandboxCredentials,
);

/**
 * The environment variables a sandbox connectors file reads, with this sandbox's values.
 *
 * @example
 * ```ts
 * import { sandboxEnv } from './connectors-config.js';
 * declare const credentials: import('ia-connectors').SandboxCredentials;
 * sandboxEnv(credentials).SANDBOX_CLIENT_ID;
 * ```
 */
export function sandboxEnv(credentials: SandboxCredentials): Record<string, string> {
  return Object.fromEntries(CREDENTIAL_KEYS.map((key) => [SANDBOX_ENV_NAMES[key], credentials[key]]));
}

/**
 * The fully qualified gRPC service of the sandbox catalog, which `catalog_grpc` calls.
 *
 * @example
 * ```ts
 * import { SANDBOX_GRPC_SERVICE } from './connectors-config.js';
 * SANDBOX_GRPC_SERVICE; // 'sandbox.catalog.v1.Catalog'
 * ```
 */
export const SANDBOX_GRPC_SERVICE = 'sandbox.catalog.v1.Catalog';

/**
 * The connectors for a sandbox: `users_api` (OAuth 2.0 client credentials, retry, a
 * client-side rate limit), `catalog` (retry), `pricing` (API key, retry), `books`
 * (GraphQL, with subscriptions), `catalog_grpc` (gRPC through server reflection) and
 * `events` (WebSocket, bearer token in the handshake). Given literal credentials it is
 * a ready in-memory config; given {@link SANDBOX_ENV_REFERENCES} it is what a
 * connectors file holds.
 *
 * @example
 * ```ts
 * import { sandboxConnectorsConfig, SANDBOX_ENV_REFERENCES } from './connectors-config.js';
 * import { sandboxUrls, SANDBOX_PORTS } from './urls.js';
 * sandboxConnectorsConfig(sandboxUrls(SANDBOX_PORTS), SANDBOX_ENV_REFERENCES).connectors.map((c) => c.name);
 * // ['users_api', 'catalog', 'pricing', 'books', 'catalog_grpc', 'events']
 * ```
 */
export function sandboxConnectorsConfig(urls: SandboxUrls, credentials: SandboxCredentials): { connectors: ConnectorConfigInput[] } {
  const retry = { maxAttempts: 4, baseDelay: 100, maxDelay: 2000 };
  const healthCheck = { path: '/health' };
  return {
    connectors: [
      {
        name: 'users_api',
        protocol: 'rest',
        baseUrl: urls.rest,
        auth: { type: 'oauth2', tokenUrl: urls.tokenUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret, scope: 'read' },
        retry,
        rateLimit: { perSecond: 20, burst: 5 },
        healthCheck,
      },
      { name: 'catalog', protocol: 'rest', baseUrl: urls.rest, retry, healthCheck },
      { name: 'pricing', protocol: 'rest', baseUrl: urls.rest, auth: { type: 'api_key', apiKey: credentials.apiKey, name: 'X-API-Key' }, retry, healthCheck },
      // The GraphQL service takes no credentials; subscriptions open their socket only when first used.
      { name: 'books', protocol: 'graphql', baseUrl: urls.graphql, subscriptions: {}, retry },
      { name: 'catalog_grpc', protocol: 'grpc', target: urls.grpc, tls: false, reflection: true, service: SANDBOX_GRPC_SERVICE, retry },
      { name: 'events', protocol: 'websocket', baseUrl: urls.websocket, endpoint: '/ws', auth: { type: 'bearer', token: credentials.websocketToken }, retry },
    ],
  };
}

/**
 * A connectors file (YAML) for a sandbox at `urls`, reading its credentials from
 * the variables of {@link SANDBOX_ENV_NAMES}.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { sandboxConnectorsYaml, startSandbox } from 'ia-connectors';
 * const sandbox = await startSandbox();
 * await writeFile('sandbox.connectors.yaml', sandboxConnectorsYaml(sandbox.urls));
 * ```
 */
export function sandboxConnectorsYaml(urls: SandboxUrls): string {
  const header = [
    '# Connectors for the ia-connectors sandbox. Start it with `ia-connectors sandbox`,',
    '# export the variables it prints, then run the pipelines in this folder:',
    '#   ia-connectors run examples/demo.pipeline.json --connectors examples/sandbox.connectors.yaml',
    '# The sandbox listens on',
    `#   ${urls.rest} (REST), ${urls.oauth} (OAuth 2.0),`,
    `#   ${urls.graphqlEndpoint} (GraphQL), ${urls.grpc} (gRPC), ${urls.websocket} (WebSocket).`,
  ];
  return `${header.join('\n')}\n${stringify(sandboxConnectorsConfig(urls, SANDBOX_ENV_REFERENCES), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
