import { createRegistry } from '../../registry/create.js';
import { SANDBOX_ENV_REFERENCES, sandboxConnectorsConfig } from '../../sandbox/connectors-config.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_PORTS, sandboxUrls } from '../../sandbox/urls.js';
import type { ExitCode } from '../io.js';
import { loadPipelineFile } from '../load-pipeline.js';
import { packageFile } from '../package-files.js';
import { runExtras, type RunExtrasOptions } from '../run-extras.js';
import { presentRun } from '../run-pipeline.js';
import { parseParams } from '../values.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * Options of `ia-connectors demo`.
 *
 * @example
 * ```ts
 * import type { DemoCommandOptions } from './demo.js';
 * const o: DemoCommandOptions = { record: 'cassettes/demo', report: 'demo.html' };
 * ```
 */
export interface DemoCommandOptions extends RunExtrasOptions {
  json?: boolean;
  quiet?: boolean;
  param?: string[];
}

/**
 * `ia-connectors demo`: starts the sandbox on random loopback ports and runs the bundled
 * `examples/demo.pipeline.json` through real connectors (REST with OAuth 2.0, cursor and
 * Link pagination, foreach, a flaky endpoint that needs retries, a rate-limited one that
 * asks for waits; a GraphQL mutation and query; a gRPC unary call and server stream; a
 * WebSocket request and ticker), then prints the summary. Nothing leaves 127.0.0.1.
 * With `replay`, no sandbox starts: every call is answered from the cassettes.
 *
 * @example
 * ```ts
 * import { demoCommand } from './demo.js';
 * declare const ctx: import('./context.js').CommandContext;
 * process.exitCode = await demoCommand({}, ctx);
 * ```
 */
export async function demoCommand(options: DemoCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const parameters = parseParams(options.param ?? []);
  const loaded = await loadPipelineFile(packageFile('examples/demo.pipeline.json'), io.cwd);
  const extras = runExtras(options, io);
  const sandbox: Sandbox | undefined = options.replay === undefined ? await startSandbox() : undefined;
  // A replay needs the connectors' names and shapes only; auth and secrets are left out.
  const connectors = sandbox?.connectorsConfig.connectors ?? sandboxConnectorsConfig(sandboxUrls(SANDBOX_PORTS), SANDBOX_ENV_REFERENCES).connectors;
  const registry = createRegistry(connectors, {
    extras: extras.connectors,
    onConnector: extras.onConnector,
  });
  const quiet = options.quiet === true || extras.logLevel !== 'silent';
  try {
    if (!options.json) {
      const where = sandbox
        ? [
            `  REST API ${sandbox.urls.rest}, OAuth 2.0 token endpoint ${sandbox.urls.tokenUrl}`,
            `  GraphQL ${sandbox.urls.graphqlEndpoint}, gRPC ${sandbox.urls.grpc}, WebSocket ${sandbox.urls.websocket}/ws`,
          ]
        : [`  replayed from ${options.replay}: no sandbox, no network`];
      writeLines(io.stdout, [`ia-connectors demo: "${loaded.pipeline.name}" against the sandbox`, ...where, `  connectors: ${connectors.map((c) => c.name).join(', ')}`, '']);
    }
    const finish = async (result: Parameters<typeof extras.finish>[0]): Promise<string[]> => {
      await registry.closeAll();
      return extras.finish(result, loaded.pipeline.name);
    };
    return await presentRun(loaded, registry, { json: options.json === true, quiet, parameters, input: {}, observers: extras.observers, finish }, ctx);
  } finally {
    await registry.closeAll();
    await sandbox?.close();
  }
}
