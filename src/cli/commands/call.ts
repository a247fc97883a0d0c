import { ConnectorError } from '../../core/errors.js';
import { HTTP_METHODS, type ApiRequest, type HttpMethod } from '../../core/types.js';
import { Redactor } from '../../observability/redact.js';
import { EXIT_CODES, type ExitCode } from '../io.js';
import { parseJsonText } from '../json-syntax.js';
import { readConnectorsFile, registryFor } from '../load-connectors.js';
import { assertConnectorsKnown } from '../pipeline-connectors.js';
import { describeConnectorActivity, formatDuration } from '../progress/describe.js';
import { observeConnectors } from '../progress/observe-connectors.js';
import { parseHeaders, parseQuery } from '../values.js';
import { writeLines, type CommandContext } from './context.js';

/**
 * Options of `ia-connectors call`.
 *
 * @example
 * ```ts
 * import type { CallCommandOptions } from './call.js';
 * const o: CallCommandOptions = { connectors: 'connectors.yaml', query: ['limit=2'] };
 * ```
 */
export interface CallCommandOptions {
  connectors: string;
  data?: string;
  query?: string[];
  header?: string[];
  json?: boolean;
}

/**
 * `ia-connectors call <connector> <METHOD> <path>`: one request through a configured
 * connector, with its auth, retry and rate limit. The body goes to stdout (JSON
 * pretty-printed), the status line and any retries to stderr; `--json` prints the
 * whole response as JSON. Exit 0 for 2xx, 1 otherwise.
 *
 * @example
 * ```ts
 * import { callCommand } from './call.js';
 * declare const ctx: import('./context.js').CommandContext;
 * await callCommand('users_api', 'GET', '/users/ada', { connectors: 'examples/sandbox.connectors.yaml' }, ctx);
 * ```
 */
export async function callCommand(name: string, method: string, path: string, options: CallCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  const { io } = ctx;
  const request: ApiRequest = { method: httpMethod(method), endpoint: path };
  if (options.query?.length) request.query = parseQuery(options.query);
  if (options.header?.length) request.headers = parseHeaders(options.header);
  if (options.data !== undefined) request.json = parseJsonText(options.data, '--data', 'CONFIG');
  const file = await readConnectorsFile(options.connectors, io.cwd);
  assertConnectorsKnown([{ name, where: 'argument <connector>' }], file.connectors.map((c) => c.name), file.file);
  const protocol = file.connectors.find((c) => c.name === name)?.protocol ?? 'rest';
  if (protocol !== 'rest') {
    throw new ConnectorError('UNSUPPORTED', `connector "${name}" is a ${protocol} connector; \`call\` sends HTTP requests through REST connectors — run a pipeline with a ${protocol} step instead`);
  }
  const registry = await registryFor(file, io, [name]);
  const observed = observeConnectors(registry, (activity) => io.stderr.write(`${describeConnectorActivity(activity)}\n`));
  try {
    const connector = await observed.get(name);
    const response = await connector.execute(request, io.signal ? { signal: io.signal } : {});
    const headers = new Redactor().headers(response.headers);
    const attempts = `${response.attempts} attempt${response.attempts === 1 ? '' : 's'}`;
    io.stderr.write(`${response.status} ${request.method} ${response.url} (${formatDuration(response.durationMs)}, ${attempts})\n`);
    if (options.json) {
      const { status, ok, url, body, durationMs } = response;
      io.stdout.write(`${JSON.stringify({ status, ok, url, headers, body: printable(body), durationMs, attempts: response.attempts }, null, 2)}\n`);
    } else {
      writeLines(io.stdout, [bodyText(response.body)].filter((text) => text !== ''));
    }
    return response.ok ? EXIT_CODES.ok : EXIT_CODES.failed;
  } finally {
    observed.dispose();
    await registry.closeAll();
  }
}

function httpMethod(method: string): HttpMethod {
  const upper = method.toUpperCase();
  if ((HTTP_METHODS as readonly string[]).includes(upper)) return upper as HttpMethod;
  throw new ConnectorError('CONFIG', `method "${method}": use one of ${HTTP_METHODS.join(', ')}`);
}

function printable(body: unknown): unknown {
  return body instanceof Uint8Array ? `<${body.byteLength} bytes>` : body;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === '') return '';
  if (typeof body === 'string') return body.replace(/\n$/, '');
  if (body instanceof Uint8Array) return `<${body.byteLength} bytes>`;
  return JSON.stringify(body, null, 2);
}
