import type { ConnectorHealth } from '../../registry/registry.js';
import { listUnresolvedReferences } from '../../registry/resolve-references.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import { formatDuration } from '../progress/describe.js';
import { table } from '../summary.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * `ia-connectors health --connectors <file>`: connects every connector and probes it
 * at once. A connector whose secrets cannot be resolved is reported unhealthy without
 * being contacted. Exit 0 when all are healthy, 1 otherwise.
 *
 * @example
 * ```ts
 * import { healthCommand } from './health.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await healthCommand({ connectors: 'examples/sandbox.connectors.yaml' }, ctx);
 * ```
 */
export async function healthCommand(options: { connectors: string; json?: boolean }, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const file = await readConnectorsFile(options.connectors, io.cwd);
  const unresolved = await listUnresolvedReferences(file, { env: io.env });
  const blocked = new Map(unresolved.map((r) => [r.connector, `${r.path}: ${r.message}`]));
  const ready = file.connectors.map((c) => c.name).filter((name) => !blocked.has(name));
  const registry = await registryFor(file, io, ready);
  let probed: ConnectorHealth[];
  try {
    probed = await registry.healthCheckAll();
  } finally {
    await registry.closeAll();
  }
  const byName = new Map(probed.map((h) => [h.name, h]));
  const results: ConnectorHealth[] = file.connectors.map(
    (c) => byName.get(c.name) ?? { name: c.name, ok: false, latencyMs: 0, error: { code: 'CONFIG', message: blocked.get(c.name) ?? 'not checked' } },
  );
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok: results.every((r) => r.ok), connectors: results }, null, 2)}\n`);
  } else {
    const rows = results.map((r) => [
      r.name,
      r.ok ? 'healthy' : 'UNHEALTHY',
      r.status === undefined ? '-' : String(r.status),
      r.error?.code === 'CONFIG' && !byName.has(r.name) ? '-' : formatDuration(r.latencyMs),
      r.error ? `${r.error.code}: ${r.error.message}` : '',
    ]);
    writeLines(io.stdout, table([['CONNECTOR', 'HEALTH', 'STATUS', 'LATENCY', 'PROBLEM'], ...rows]));
  }
  return results.every((r) => r.ok) ? EXIT_CODES.ok : EXIT_CODES.failed;
}
