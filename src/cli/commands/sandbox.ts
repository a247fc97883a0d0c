import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConnectorError } from '../../core/errors.js';
import { SANDBOX_ENV_NAMES, SANDBOX_GRPC_SERVICE, sandboxConnectorsYaml } from '../../sandbox/connectors-config.js';
import type { SandboxCredentials } from '../../sandbox/credentials.js';
import { startSandbox } from '../../sandbox/sandbox.js';
import { SANDBOX_PORTS, type SandboxPorts } from '../../sandbox/urls.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { formatDuration } from '../progress/describe.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * Options of `ia-connectors sandbox`.
 *
 * @example
 * ```ts
 * import type { SandboxCommandOptions } from './sandbox.js';
 * const o: SandboxCommandOptions = { port: '0', oauthPort: '0', grpcPort: '50051', connectorsOut: 'my.connectors.yaml' };
 * ```
 */
export interface SandboxCommandOptions {
  /** The REST API's port. */
  port?: string;
  oauthPort?: string;
  graphqlPort?: string;
  grpcPort?: string;
  websocketPort?: string;
  connectorsOut?: string;
  quiet?: boolean;
}

/**
 * `ia-connectors sandbox`: runs the sandbox until interrupted, on ports 4010 (REST),
 * 4011 (OAuth), 4012 (GraphQL), 4013 (gRPC) and 4014 (WebSocket) unless told
 * otherwise, so `examples/sandbox.connectors.yaml` works as is. Prints the URLs, the
 * variables to export (the sandbox's own throwaway credentials; reused from the
 * environment when already set) and an access log of the REST API and the OAuth server.
 *
 * @example
 * ```ts
 * import { sandboxCommand } from './sandbox.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await sandboxCommand({ port: '0', oauthPort: '0', graphqlPort: '0', grpcPort: '0', websocketPort: '0' }, ctx);
 * ```
 */
export async function sandboxCommand(options: SandboxCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const ports: SandboxPorts = {
    rest: port(options.port, '--port', SANDBOX_PORTS.rest),
    oauth: port(options.oauthPort, '--oauth-port', SANDBOX_PORTS.oauth),
    graphql: port(options.graphqlPort, '--graphql-port', SANDBOX_PORTS.graphql),
    grpc: port(options.grpcPort, '--grpc-port', SANDBOX_PORTS.grpc),
    websocket: port(options.websocketPort, '--websocket-port', SANDBOX_PORTS.websocket),
  };
  const sandbox = await startSandbox({
    restPort: ports.rest,
    oauthPort: ports.oauth,
    graphqlPort: ports.graphql,
    grpcPort: ports.grpc,
    websocketPort: ports.websocket,
    credentials: credentialsFromEnv(io.env),
    ...(options.quiet ? {} : { onRequest: (e) => io.stdout.write(`${e.service} ${e.method} ${e.path} ${e.status} ${formatDuration(e.durationMs)}\n`) }),
  });
  try {
    const defaults = (Object.keys(ports) as (keyof SandboxPorts)[]).every((name) => ports[name] === SANDBOX_PORTS[name]);
    let file = 'examples/sandbox.connectors.yaml';
    if (options.connectorsOut !== undefined) {
      await writeFile(resolve(io.cwd, options.connectorsOut), sandboxConnectorsYaml(sandbox.urls), 'utf8');
      file = options.connectorsOut;
    }
    const { urls } = sandbox;
    writeLines(io.stdout, [
      'sandbox running on 127.0.0.1 (Ctrl+C to stop)',
      `  REST API      ${urls.rest}`,
      `  OAuth 2.0     ${urls.oauth} (token endpoint ${urls.tokenUrl})`,
      `  GraphQL       ${urls.graphqlEndpoint} (subscriptions ${urls.graphqlSubscriptions})`,
      `  gRPC          ${urls.grpc} (plaintext, server reflection, ${SANDBOX_GRPC_SERVICE})`,
      `  WebSocket     ${urls.websocket}/ws (bearer token; ${urls.websocket}/echo echoes)`,
      ...(options.connectorsOut !== undefined ? [`  wrote ${options.connectorsOut} for these ports`] : []),
      ...(!defaults && options.connectorsOut === undefined ? ['  these are not the ports examples/sandbox.connectors.yaml expects; pass --connectors-out <file> for a matching file'] : []),
      '',
      `${file} reads the sandbox's credentials (valid only for this sandbox) from:`,
      ...Object.entries(sandbox.env).map(([name, value]) => `  export ${name}=${value}`),
      '',
      'then, in that shell:',
      `  ia-connectors run examples/demo.pipeline.json --connectors ${file}`,
      `  ia-connectors run examples/user-report.pipeline.json --connectors ${file} --param username=linus`,
      `  ia-connectors call users_api GET /users/ada --connectors ${file}`,
      `  ia-connectors health --connectors ${file}`,
      '',
    ]);
    await untilAborted(io.signal);
    return EXIT_CODES.ok;
  } finally {
    await sandbox.close();
  }
}

function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<SandboxCredentials> {
  const given: Partial<SandboxCredentials> = {};
  for (const [key, name] of Object.entries(SANDBOX_ENV_NAMES) as [keyof SandboxCredentials, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') given[key] = value;
  }
  return given;
}

function port(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new ConnectorError('CONFIG', `${option} "${value}": must be a port from 0 to 65535 (0 picks a free one)`);
  return n;
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
