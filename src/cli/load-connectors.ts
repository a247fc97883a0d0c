import { resolveSecretRefs } from '../auth/secret-ref.js';
import { ConnectorError } from '../core/errors.js';
import { replayConfig } from '../observability/cassette/replay-config.js';
import type { ConnectorExtras } from '../registry/extras.js';
import { parseConnectorsText, type LoadedConnectorsFile } from '../registry/load.js';
import type { AnyConnector, ConnectorConfig } from '../registry/protocols.js';
import { ConnectorRegistry } from '../registry/registry.js';
import { listUnresolvedReferences } from '../registry/resolve-references.js';
import type { CliIo } from './io.js';
import { readTextFile } from './read-file.js';

/**
 * Reads and validates a connectors file named on the command line. Errors name the
 * file as the user wrote it, with line and column.
 *
 * @example
 * ```ts
 * import { readConnectorsFile } from './load-connectors.js';
 * const file = await readConnectorsFile('examples/sandbox.connectors.yaml', process.cwd());
 * ```
 */
export async function readConnectorsFile(file: string, cwd: string): Promise<LoadedConnectorsFile> {
  return parseConnectorsText(await readTextFile(file, cwd, 'connectors'), file);
}

/**
 * A registry for the connectors `names` (all when omitted) of a loaded file, with their
 * secret references resolved from `io.env` first: a missing variable or secret file is
 * one `CONFIG` error listing each, with where the connector is written, before any
 * connection is opened. Resolved values stay in memory, inside the connectors.
 * `extras` adds observers and a cassette to every connector; when replaying, connectors
 * take their replay form (no auth, no secrets), so a replay needs no environment.
 * `onConnector` sees each connector as it is built (logs and reports learn its secrets).
 *
 * @example
 * ```ts
 * import { readConnectorsFile, registryFor } from './load-connectors.js';
 * declare const io: import('ia-connectors').CliIo;
 * const registry = await registryFor(await readConnectorsFile('connectors.yaml', io.cwd), io, ['users_api']);
 * ```
 */
export async function registryFor(
  file: LoadedConnectorsFile,
  io: Pick<CliIo, 'env'>,
  names?: readonly string[],
  extras?: ConnectorExtras & { onConnector?: (connector: AnyConnector) => void },
): Promise<ConnectorRegistry> {
  const wanted = names ? new Set(names) : undefined;
  const chosen = wanted ? file.connectors.filter((c) => wanted.has(c.name)) : file.connectors;
  const connectors = extras?.cassette?.mode === 'replay' ? chosen.map((c) => replayConfig(c)) : chosen;
  const selected: LoadedConnectorsFile = { ...file, connectors };
  const unresolved = await listUnresolvedReferences(selected, { env: io.env });
  if (unresolved.length > 0) {
    const lines = unresolved.map((r) => `  - ${r.source ?? file.file} connector "${r.connector}" ${r.path}: ${r.message}`);
    throw new ConnectorError('CONFIG', `${unresolved.length} secret reference${unresolved.length === 1 ? '' : 's'} cannot be resolved:\n${lines.join('\n')}`, {
      details: { file: file.file, unresolved: unresolved.map(({ connector, path, reference, source }) => ({ connector, path, reference, source })) },
    });
  }
  const registry = new ConnectorRegistry({
    ...(extras ? { extras } : {}),
    env: io.env,
    ...(extras?.onConnector ? { onConnector: extras.onConnector } : {}),
  });
  for (const config of connectors) registry.register(await withAuthSecrets(config, io.env), { source: file.sources[config.name] ?? file.file });
  return registry;
}

// The registry reads header and store references from `env` itself; auth references are
// resolved here, from `env` too (the auth layer would read process.env), and the auth
// layer registers the resolved values with the connector's redactor at connect.
async function withAuthSecrets(config: ConnectorConfig, env: CliIo['env']): Promise<ConnectorConfig> {
  const auth = (config as { auth?: unknown }).auth;
  if (auth === undefined) return config;
  return { ...config, auth: await resolveSecretRefs(auth, { env, field: 'auth' }) } as ConnectorConfig;
}
