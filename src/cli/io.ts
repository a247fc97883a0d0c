/**
 * Where the CLI writes: `process.stdout`/`process.stderr`, or a test's capture.
 * `isTTY` turns on the live progress display; `columns` sizes it.
 *
 * @example
 * ```ts
 * import type { CliOutput } from 'ia-connectors';
 * const chunks: string[] = [];
 * const out: CliOutput = { write: (text) => chunks.push(text), isTTY: false };
 * ```
 */
export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Everything a CLI run touches from the outside world, passed in so that tests run
 * commands in-process with captured output and their own environment.
 *
 * @example
 * ```ts
 * import { runCli, type CliIo } from 'ia-connectors';
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
 * process.exitCode = await runCli(process.argv.slice(2), io);
 * ```
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Variables for `${env:NAME}` references in connectors files. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative file paths are resolved against it. */
  cwd: string;
  /** Ends long-running commands (`sandbox`) and aborts a running pipeline; main wires it to SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

/**
 * The exit codes of `ia-connectors`: 0 success, 1 a step, call or health check
 * failed, 2 bad input or configuration.
 *
 * @example
 * ```ts
 * import { EXIT_CODES } from 'ia-connectors';
 * if (code === EXIT_CODES.badInput) console.error('fix the input and run again');
 * ```
 */
export const EXIT_CODES = { ok: 0, failed: 1, badInput: 2 } as const;

/**
 * One of {@link EXIT_CODES}.
 *
 * @example
 * ```ts
 * import type { ExitCode } from 'ia-connectors';
 * const code: ExitCode = 0;
 * ```
 */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const BAD_INPUT = new Set(['CONFIG', 'PIPELINE', 'TEMPLATE', 'UNKNOWN_CONNECTOR', 'INVALID_REQUEST', 'UNSAFE_ENDPOINT', 'SERIALIZATION', 'UNSUPPORTED']);

/**
 * The exit code for an error code: 2 when the input or configuration is wrong (fix it
 * and run again), 1 when the run itself failed (a service, the network, a timeout).
 *
 * @example
 * ```ts
 * import { exitCodeFor } from 'ia-connectors';
 * exitCodeFor('TEMPLATE'); // 2
 * exitCodeFor('TIMEOUT'); // 1
 * ```
 */
export function exitCodeFor(code: string | undefined): ExitCode {
  return code !== undefined && BAD_INPUT.has(code) ? EXIT_CODES.badInput : EXIT_CODES.failed;
}
