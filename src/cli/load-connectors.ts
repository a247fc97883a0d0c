import { isSecretRef, resolveSecretRefs } from '../auth/secret-ref.js';
import { ConnectorError } from '../core/errors.js';
import { replayConfig } from '../observability/cassette/replay-config.js';
import { Redactor } from '../observability/redact.js';
import type { ConnectorExtras } from '../registry/extras.js';
import { parseConnectorsText, type LoadedConnectorsFile } from '../registry/load.js';
import { createConnector, type AnyConnector, type ConnectorConfig } from '../registry/protocols.js';
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
 * Each connector's redactor is appended to `redactors`, for logs and reports.
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
  extras?: ConnectorExtras & { redactors?: Redactor[] },
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
  const registry = new ConnectorRegistry();
  for (const config of connectors) {
    const connector = await connectorWithSecrets(config, io.env, extras);
    const own = (connector as { redactor?: unknown }).redactor;
    if (own instanceof Redactor) extras?.redactors?.push(own);
    registry.registerConnector(connector, { source: file.sources[config.name] ?? file.file });
  }
  return registry;
}

// What the registry does at first use, but reading `env` instead of process.env. The
// auth layer registers its (now literal) secrets with the connector's redactor at
// connect; header secrets are registered here, so no resolved value can reach a message.
async function connectorWithSecrets(config: ConnectorConfig, env: CliIo['env'], extras: ConnectorExtras | undefined): Promise<AnyConnector> {
  const raw = config as ConnectorConfig & { auth?: unknown; headers?: Record<string, string> };
  const ready: Record<string, unknown> = { ...config };
  if (raw.auth !== undefined) ready['auth'] = await resolveSecretRefs(raw.auth, { env, field: 'auth' });
  const secretHeaders = Object.keys(raw.headers ?? {}).filter((name) => isSecretRef(raw.headers?.[name]));
  if (secretHeaders.length > 0) ready['headers'] = await resolveSecretRefs(raw.headers, { env, field: 'headers' });
  const connector = createConnector(ready as ConnectorConfig, extras);
  const own = (connector as { redactor?: unknown }).redactor;
  if (own instanceof Redactor) {
    const secrets = secretHeaders.map((name) => (ready['headers'] as Record<string, string>)[name] as string);
    own.add({ secrets, headers: secretHeaders });
  }
  return connector;
}
