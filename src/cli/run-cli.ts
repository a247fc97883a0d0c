import { Command, CommanderError, Option } from 'commander';
import { SANDBOX_PORTS } from '../sandbox/urls.js';
import { callCommand } from './commands/call.js';
import { writeLines, type CommandContext } from './commands/context.js';
import { demoCommand } from './commands/demo.js';
import { healthCommand } from './commands/health.js';
import { runCommand } from './commands/run.js';
import { sandboxCommand } from './commands/sandbox.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { formatError } from './format-error.js';
import { EXIT_CODES, exitCodeFor, type CliIo, type ExitCode } from './io.js';
import { packageVersion } from './package-files.js';
import { collect } from './values.js';

/**
 * Runs `ia-connectors` with `argv` (the arguments after the program name) and returns
 * the exit code instead of exiting: 0 success, 1 a step, call or health check failed,
 * 2 bad input or configuration. Errors are printed as one line each
 * (`error CODE: file:line:col what is wrong; what to do`); `--verbose` adds causes.
 *
 * @example
 * ```ts
 * import { runCli } from 'ia-connectors';
 * const code = await runCli(['validate', 'pipeline.json'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_CODES.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_CODES.ok : EXIT_CODES.badInput;
    }
    writeLines(io.stderr, formatError(error, { verbose: argv.includes('--verbose') }));
    return exitCodeFor((error as { code?: string } | null)?.code);
  }
}

function buildProgram(io: CliIo, done: (code: ExitCode) => void): Command {
  const program = new Command('ia-connectors')
    .description('Call REST, GraphQL, gRPC and WebSocket services from data and AI pipelines: run pipelines, call connectors, check health, try the sandbox.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print the cause chain of errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`error CONFIG: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}; see "ia-connectors --help"\n`),
    });
  const context = (command: Command): CommandContext => ({ io, verbose: command.optsWithGlobals()['verbose'] === true });
  const action =
    <A extends unknown[]>(handler: (...args: A) => Promise<ExitCode>) =>
    async (...args: A) => {
      done(await handler(...args));
    };
  const connectorsOption = new Option('-c, --connectors <file>', 'connectors file (YAML or JSON)').makeOptionMandatory();

  program
    .command('run')
    .description('run a pipeline (ia_modules JSON) through the connectors of a connectors file')
    .argument('<pipeline>', 'pipeline file (JSON)')
    .addOption(connectorsOption)
    .option('--input <json>', 'run input as a JSON object, read by {{ pipeline_input.x }}')
    .option('--input-file <file>', 'read the run input from a JSON file')
    .option('-p, --param <name=value>', 'set a pipeline parameter (repeatable; JSON values keep their type)', collect)
    .option('--json', 'print only the result JSON on stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--queue <redis-url>', 'run it on the workers of this Redis (URL or ${env:NAME}) instead of here')
    .option('--run-id <id>', 'with --queue: the run id (default: a random UUID)')
    .option('--detach', 'with --queue: print the run id and return without following the run')
    .option('--prefix <prefix>', 'with --queue: Redis key prefix of the queues', 'ia-connectors')
    .option('--connect-timeout <ms>', 'with --queue: how long connecting to Redis may take', '5000')
    .option('--log-level <level>', 'structured JSON log lines on stderr: trace, debug, info, warn, error, fatal or silent', 'silent')
    .option('--report <file>', 'write a self-contained HTML report of the run (waterfall of steps and requests)')
    .option('--record <dir>', 'record every call into cassettes in <dir> (secrets redacted)')
    .option('--replay <dir>', 'answer calls from the cassettes in <dir>: no network, no secrets needed')
    .action(action((file: string, options, command: Command) => runCommand(file, options, context(command))));

  const redisOption = () => new Option('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379, or ${env:REDIS_URL}').makeOptionMandatory();
  program
    .command('worker')
    .description('take jobs of distributed pipeline runs (run --queue) until SIGINT or SIGTERM')
    .addOption(connectorsOption)
    .addOption(redisOption())
    .option('--concurrency <n>', 'run jobs, and item jobs, processed at once (each)', '8')
    .option('--name <name>', 'worker name recorded on its jobs (default: <host>-<pid>)')
    .option('--prefix <prefix>', 'Redis key prefix of the queues', 'ia-connectors')
    .option('--lock-duration <ms>', 'how long a job stays locked without renewal before another worker may take it over', '30000')
    .option('--stalled-interval <ms>', 'how often to look for jobs of workers that died', '30000')
    .option('--max-stalled-count <n>', 'how many times a job may be taken over from a dead worker before it fails', '3')
    .option('--connect-timeout <ms>', 'how long connecting to Redis may take at start', '5000')
    .option('-q, --quiet', 'only the ready and stop lines on stderr')
    // The distributed commands load BullMQ and ioredis; the others never pay for them.
    .action(action(async (options, command: Command) => (await import('./commands/worker.js')).workerCommand(options, context(command))));

  program
    .command('status')
    .description('show the state of a distributed run: queued, running, succeeded or failed, steps and items done')
    .argument('<run-id>', 'the id printed by run --queue')
    .addOption(redisOption())
    .option('--prefix <prefix>', 'Redis key prefix of the queues', 'ia-connectors')
    .option('--connect-timeout <ms>', 'how long connecting to Redis may take', '5000')
    .option('--json', 'print the status as JSON')
    .action(action(async (runId: string, options, command: Command) => (await import('./commands/status.js')).statusCommand(runId, options, context(command))));

  program
    .command('call')
    .description('send one request through a connector (with its auth, retry and rate limit)')
    .argument('<connector>', 'connector name')
    .argument('<method>', 'HTTP method, e.g. GET')
    .argument('<path>', 'path under the connector base URL, e.g. /users/ada')
    .addOption(connectorsOption)
    .option('-d, --data <json>', 'JSON request body')
    .option('--query <name=value>', 'query parameter (repeatable)', collect)
    .option('-H, --header <name=value>', 'request header (repeatable)', collect)
    .option('--json', 'print the whole response as JSON')
    .action(action((name: string, method: string, path: string, options, command: Command) => callCommand(name, method, path, options, context(command))));

  program
    .command('health')
    .description('connect to every connector and probe it')
    .addOption(connectorsOption)
    .option('--json', 'print the result as JSON')
    .action(action((options, command: Command) => healthCommand(options, context(command))));

  program
    .command('validate')
    .description('check a connectors file or a pipeline without calling anything')
    .argument('<file>', 'connectors file or pipeline')
    .option('-c, --connectors <file>', 'for a pipeline: check the connectors it names exist in this file')
    .option('--no-secrets', 'for a connectors file: skip checking that secret references resolve')
    .action(action((file: string, options, command: Command) => validateCommand(file, options, context(command))));

  program
    .command('schema')
    .description('print the JSON Schema of connectors files (or of pipelines with --pipeline)')
    .option('--pipeline', 'the pipeline schema instead')
    .action(action((options, command: Command) => schemaCommand(options, context(command))));

  program
    .command('demo')
    .description('start the sandbox and run the bundled demo pipeline against it (offline, a few seconds)')
    .option('-p, --param <name=value>', 'set a demo pipeline parameter (repeatable)', collect)
    .option('--json', 'print only the result JSON on stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--log-level <level>', 'structured JSON log lines on stderr: trace, debug, info, warn, error, fatal or silent', 'silent')
    .option('--report <file>', 'write a self-contained HTML report of the run')
    .option('--record <dir>', 'record every call into cassettes in <dir> (secrets redacted)')
    .option('--replay <dir>', 'answer every call from the cassettes in <dir>: the sandbox is not started')
    .action(action((options, command: Command) => demoCommand(options, context(command))));

  program
    .command('sandbox')
    .description('run the sandbox services until interrupted, for the files in examples/')
    .option('--port <port>', 'REST API port (0 picks a free one)', String(SANDBOX_PORTS.rest))
    .option('--oauth-port <port>', 'OAuth 2.0 server port (0 picks a free one)', String(SANDBOX_PORTS.oauth))
    .option('--graphql-port <port>', 'GraphQL service port (0 picks a free one)', String(SANDBOX_PORTS.graphql))
    .option('--grpc-port <port>', 'gRPC service port (0 picks a free one)', String(SANDBOX_PORTS.grpc))
    .option('--websocket-port <port>', 'WebSocket service port (0 picks a free one)', String(SANDBOX_PORTS.websocket))
    .option('--connectors-out <file>', 'write a connectors file for the ports in use')
    .option('-q, --quiet', 'no access log')
    .action(action((options, command: Command) => sandboxCommand(options, context(command))));

  return program;
}
