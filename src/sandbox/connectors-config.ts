import { stringify } from 'yaml';
import type { ConnectorConfigInput } from '../registry/protocols.js';
import type { SandboxCredentials } from './credentials.js';

/**
 * Where a running sandbox listens. GraphQL, gRPC and WebSocket services will add
 * their own entries here as they join the sandbox.
 *
 * @example
 * ```ts
 * import type { SandboxUrls } from 'ia-connectors';
 * const urls: SandboxUrls = { rest: 'http://127.0.0.1:4010', oauth: 'http://127.0.0.1:4011', tokenUrl: 'http://127.0.0.1:4011/oauth/token' };
 * ```
 */
export interface SandboxUrls {
  /** The REST API: users, posts, catalog, prices, flaky and rate-limited endpoints. */
  rest: string;
  /** The OAuth 2.0 authorization server (issuer). */
  oauth: string;
  /** Its token endpoint. */
  tokenUrl: string;
}

/**
 * The ports `ia-connectors sandbox` listens on unless told otherwise, and which
 * `examples/sandbox.connectors.yaml` points at.
 *
 * @example
 * ```ts
 * import { SANDBOX_PORTS } from 'ia-connectors';
 * SANDBOX_PORTS.rest; // 4010
 * ```
 */
export const SANDBOX_PORTS = { rest: 4010, oauth: 4011 } as const;

/**
 * The sandbox URLs for given ports on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { sandboxUrls } from 'ia-connectors';
 * sandboxUrls(4010, 4011).tokenUrl; // 'http://127.0.0.1:4011/oauth/token'
 * ```
 */
export function sandboxUrls(restPort: number, oauthPort: number): SandboxUrls {
  const oauth = `http://127.0.0.1:${oauthPort}`;
  return { rest: `http://127.0.0.1:${restPort}`, oauth, tokenUrl: `${oauth}/oauth/token` };
}

/**
 * The credential references a connectors file for the sandbox uses, and the variables
 * behind them.
 *
 * @example
 * ```ts
 * import { SANDBOX_ENV_REFERENCES } from './connectors-config.js';
 * SANDBOX_ENV_REFERENCES.clientSecret; // '${env:SANDBOX_CLIENT_SECRET}'
 * ```
 */
export const SANDBOX_ENV_REFERENCES: SandboxCredentials = {
  clientId: '${env:SANDBOX_CLIENT_ID}',
  clientSecret: '${env:SANDBOX_CLIENT_SECRET}',
  apiKey: '${env:SANDBOX_API_KEY}',
};

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
  return { SANDBOX_CLIENT_ID: credentials.clientId, SANDBOX_CLIENT_SECRET: credentials.clientSecret, SANDBOX_API_KEY: credentials.apiKey };
}

/**
 * The connectors for a sandbox: `users_api` (OAuth 2.0 client credentials, retry, a
 * client-side rate limit), `catalog` (retry) and `pricing` (API key, retry). Given
 * literal credentials it is a ready in-memory config; given
 * {@link SANDBOX_ENV_REFERENCES} it is what a connectors file holds.
 *
 * @example
 * ```ts
 * import { sandboxConnectorsConfig, sandboxUrls, SANDBOX_ENV_REFERENCES } from './connectors-config.js';
 * sandboxConnectorsConfig(sandboxUrls(4010, 4011), SANDBOX_ENV_REFERENCES).connectors.map((c) => c.name); // ['users_api', 'catalog', 'pricing']
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
    ],
  };
}

/**
 * A connectors file (YAML) for a sandbox at `urls`, reading its credentials from
 * `SANDBOX_CLIENT_ID`, `SANDBOX_CLIENT_SECRET` and `SANDBOX_API_KEY`.
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
    '# export the three variables it prints, then run the pipelines in this folder:',
    '#   ia-connectors run examples/demo.pipeline.json --connectors examples/sandbox.connectors.yaml',
    `# The sandbox listens on ${urls.rest} (REST) and ${urls.oauth} (OAuth 2.0).`,
  ];
  return `${header.join('\n')}\n${stringify(sandboxConnectorsConfig(urls, SANDBOX_ENV_REFERENCES), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
