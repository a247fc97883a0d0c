import type { LegacyConnectorConfig } from './legacy-schema.js';
import { loadConnectorsFile, type LoadedConnectorsFile } from './load.js';
import { normalizeConnectorsValue } from './normalize.js';
import type { ConnectorConfigInput } from './protocols.js';
import { ConnectorRegistry, type ConnectorRegistryOptions } from './registry.js';
import { configErrorFromIssues } from './report.js';

/**
 * A registry holding the given connectors: configs from code (camelCase or legacy,
 * all validated at once, so one `CONFIG` error lists every problem as
 * `connectors[i].field`), or a file returned by `loadConnectorsFile`. Nothing connects
 * until first use.
 *
 * @example
 * ```ts
 * import { createRegistry } from 'ia-connectors';
 * await using registry = createRegistry([
 *   { name: 'users', baseUrl: 'http://127.0.0.1:8080', retry: { maxAttempts: 4 } },
 *   { name: 'legacy_api', base_url: 'http://127.0.0.1:8081', max_retries: 2 },
 * ]);
 * ```
 */
export function createRegistry(
  configs: readonly (ConnectorConfigInput | LegacyConnectorConfig)[] | LoadedConnectorsFile,
  options: ConnectorRegistryOptions = {},
): ConnectorRegistry {
  const registry = new ConnectorRegistry(options);
  if (!Array.isArray(configs)) {
    const file = configs as LoadedConnectorsFile;
    for (const config of file.connectors) registry.register(config, { source: file.sources[config.name] ?? file.file });
    return registry;
  }
  const { connectors, issues } = normalizeConnectorsValue({ connectors: configs });
  if (issues.length > 0) throw configErrorFromIssues(issues, { subject: 'connector configs' });
  for (const { config, path } of connectors) registry.register(config, { source: `connectors[${String(path[1])}] passed to createRegistry()` });
  return registry;
}

/**
 * Loads a connectors file (YAML or JSON) and returns a registry of its connectors,
 * each remembering the line it was written on for messages.
 *
 * @example
 * ```ts
 * import { loadRegistry } from 'ia-connectors';
 * await using registry = await loadRegistry('connectors.yaml');
 * const report = await registry.healthCheckAll();
 * ```
 */
export async function loadRegistry(path: string, options: ConnectorRegistryOptions = {}): Promise<ConnectorRegistry> {
  return createRegistry(await loadConnectorsFile(path), options);
}
