import { createRegistry } from '../../registry/create.js';
import { startSandbox } from '../../sandbox/sandbox.js';
import type { ExitCode } from '../io.js';
import { loadPipelineFile } from '../load-pipeline.js';
import { packageFile } from '../package-files.js';
import { presentRun } from '../run-pipeline.js';
import { parseParams } from '../values.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * `ia-connectors demo`: starts the sandbox on random loopback ports and runs the bundled
 * `examples/demo.pipeline.json` through real connectors (REST with OAuth 2.0, cursor and
 * Link pagination, foreach, a flaky endpoint that needs retries, a rate-limited one that
 * asks for waits; a GraphQL mutation and query; a gRPC unary call and server stream; a
 * WebSocket request and ticker), then prints the summary. Nothing leaves 127.0.0.1.
 *
 * @example
 * ```ts
 * import { demoCommand } from './demo.js';
 * declare const ctx: import('./context.js').CommandContext;
 * process.exitCode = await demoCommand({}, ctx);
 * ```
 */
export async function demoCommand(options: { json?: boolean; quiet?: boolean; param?: string[] }, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const parameters = parseParams(options.param ?? []);
  const loaded = await loadPipelineFile(packageFile('examples/demo.pipeline.json'), io.cwd);
  const sandbox = await startSandbox();
  const registry = createRegistry(sandbox.connectorsConfig.connectors);
  try {
    if (!options.json) {
      writeLines(io.stdout, [
        `ia-connectors demo: "${loaded.pipeline.name}" against the sandbox`,
        `  REST API ${sandbox.urls.rest}, OAuth 2.0 token endpoint ${sandbox.urls.tokenUrl}`,
        `  GraphQL ${sandbox.urls.graphqlEndpoint}, gRPC ${sandbox.urls.grpc}, WebSocket ${sandbox.urls.websocket}/ws`,
        `  connectors: ${sandbox.connectorsConfig.connectors.map((c) => c.name).join(', ')}`,
        '',
      ]);
    }
    return await presentRun(loaded, registry, { json: options.json === true, quiet: options.quiet === true, parameters, input: {} }, ctx);
  } finally {
    await registry.closeAll();
    await sandbox.close();
  }
}
