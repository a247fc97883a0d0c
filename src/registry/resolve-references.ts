import { isSecretRef, resolveSecretRef, type SecretRefOptions } from '../auth/secret-ref.js';
import { formatPath } from '../core/config.js';
import { isConnectorError } from '../core/errors.js';
import type { LoadedConnectorsFile } from './load.js';
import type { ConnectorConfig } from './protocols.js';
import { findSecretReferences } from './references.js';

/**
 * A secret reference that cannot be resolved now: which connector and field, the
 * reference itself and why (`${env:USERS_TOKEN} is not set; export USERS_TOKEN ...`).
 *
 * @example
 * ```ts
 * import type { UnresolvedReference } from 'ia-connectors';
 * const r: UnresolvedReference = { connector: 'users', path: 'auth.token', reference: '${env:USERS_TOKEN}', message: '${env:USERS_TOKEN} is not set; export USERS_TOKEN or change auth.token' };
 * ```
 */
export interface UnresolvedReference {
  connector: string;
  path: string;
  reference: string;
  message: string;
  /** Where the connector is written, `file:line:column`, for a loaded file. */
  source?: string;
}

/**
 * Tries every secret reference of a loaded file (or of parsed configs) and lists the
 * ones that fail, so `ia-connectors validate` can report a missing variable before
 * anything runs. Resolved values are discarded at once and never returned.
 *
 * @example
 * ```ts
 * import { loadConnectorsFile, listUnresolvedReferences } from 'ia-connectors';
 * const file = await loadConnectorsFile('connectors.yaml');
 * for (const r of await listUnresolvedReferences(file)) console.error(`${r.connector} ${r.path}: ${r.message}`);
 * ```
 */
export async function listUnresolvedReferences(
  input: LoadedConnectorsFile | readonly ConnectorConfig[],
  options: Pick<SecretRefOptions, 'env' | 'readFile'> = {},
): Promise<UnresolvedReference[]> {
  const configs = isLoadedFile(input) ? input.connectors : input;
  const sources = isLoadedFile(input) ? input.sources : {};
  const checks = configs.flatMap((config) =>
    findSecretReferences(config).map(async ({ path, reference }): Promise<UnresolvedReference | undefined> => {
      const field = formatPath(path);
      try {
        await resolveSecretRef(reference, { ...options, field });
        return undefined;
      } catch (error) {
        const message = isConnectorError(error) ? error.message : String(error);
        const source = sources[config.name];
        return { connector: config.name, path: field, reference, message, ...(source === undefined ? {} : { source }) };
      }
    }),
  );
  return (await Promise.all(checks)).filter((r): r is UnresolvedReference => r !== undefined);
}

/**
 * Resolves the secret references among a config's header values (auth fields are
 * resolved by the auth layer itself). Returns the config to build the connector from,
 * plus the resolved values and header names the connector's redactor must hide.
 *
 * @example
 * ```ts
 * import { resolveHeaderReferences } from './resolve-references.js';
 * import { connectorConfigSchema } from 'ia-connectors';
 * const config = connectorConfigSchema.parse({ name: 'a', baseUrl: 'http://127.0.0.1:8080', headers: { 'x-tenant': '${env:TENANT}' } });
 * const { config: ready, secrets } = await resolveHeaderReferences(config);
 * ```
 */
export async function resolveHeaderReferences(
  config: ConnectorConfig,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<{ config: ConnectorConfig; secrets: string[]; headers: string[] }> {
  const own = (config as { headers?: Record<string, string> }).headers;
  const names = own ? Object.keys(own).filter((name) => isSecretRef(own[name])) : [];
  if (!own || names.length === 0) return { config, secrets: [], headers: [] };
  const headers = { ...own };
  const secrets = await Promise.all(names.map((name) => resolveSecretRef(own[name] as string, { field: `headers.${name} of connector "${config.name}"`, ...(env ? { env } : {}) })));
  names.forEach((name, i) => {
    headers[name] = secrets[i] as string;
  });
  return { config: { ...config, headers } as ConnectorConfig, secrets, headers: names };
}

function isLoadedFile(input: LoadedConnectorsFile | readonly ConnectorConfig[]): input is LoadedConnectorsFile {
  return !Array.isArray(input);
}
