import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConnectorError } from '../../core/errors.js';
import { SANDBOX_PORTS, sandboxConnectorsYaml } from '../../sandbox/connectors-config.js';
import { startSandbox } from '../../sandbox/sandbox.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { formatDuration } from '../progress/describe.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * Options of `ia-connectors sandbox`.
 *
 * @example
 * ```ts
 * import type { SandboxCommandOptions } from './sandbox.js';
 * const o: SandboxCommandOptions = { port: '0', oauthPort: '0', connectorsOut: 'my.connectors.yaml' };
 * ```
 */
export interface SandboxCommandOptions {
  port?: string;
  oauthPort?: string;
  connectorsOut?: string;
  quiet?: boolean;
}

/**
 * `ia-connectors sandbox`: runs the sandbox until interrupted, on ports 4010 (REST) and
 * 4011 (OAuth) unless told otherwise, so `examples/sandbox.connectors.yaml` works as
 * is. Prints the URLs, the variables to export (the sandbox's own throwaway
 * credentials; reused from the environment when already set) and an access log.
 *
 * @example
 * ```ts
 * import { sandboxCommand } from './sandbox.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await sandboxCommand({ port: '0', oauthPort: '0' }, ctx);
 * ```
 */
export async function sandboxCommand(options: SandboxCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const restPort = port(options.port, '--port', SANDBOX_PORTS.rest);
  const oauthPort = port(options.oauthPort, '--oauth-port', SANDBOX_PORTS.oauth);
  const fromEnv = (name: string): string | undefined => (io.env[name] === '' ? undefined : io.env[name]);
  const given = { clientId: fromEnv('SANDBOX_CLIENT_ID'), clientSecret: fromEnv('SANDBOX_CLIENT_SECRET'), apiKey: fromEnv('SANDBOX_API_KEY') };
  const sandbox = await startSandbox({
    restPort,
    oauthPort,
    credentials: Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    ...(options.quiet ? {} : { onRequest: (e) => io.stdout.write(`${e.service} ${e.method} ${e.path} ${e.status} ${formatDuration(e.durationMs)}\n`) }),
  });
  try {
    const defaults = restPort === SANDBOX_PORTS.rest && oauthPort === SANDBOX_PORTS.oauth;
    let file = 'examples/sandbox.connectors.yaml';
    if (options.connectorsOut !== undefined) {
      await writeFile(resolve(io.cwd, options.connectorsOut), sandboxConnectorsYaml(sandbox.urls), 'utf8');
      file = options.connectorsOut;
    }
    writeLines(io.stdout, [
      'sandbox running on 127.0.0.1 (Ctrl+C to stop)',
      `  REST API      ${sandbox.urls.rest}`,
      `  OAuth 2.0     ${sandbox.urls.oauth} (token endpoint ${sandbox.urls.tokenUrl})`,
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
      '',
    ]);
    await untilAborted(io.signal);
    return EXIT_CODES.ok;
  } finally {
    await sandbox.close();
  }
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
