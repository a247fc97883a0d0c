// The CLI's public API; src/index.ts picks from this list.
export { runCli } from './run-cli.js';
export { EXIT_CODES, exitCodeFor, type CliIo, type CliOutput, type ExitCode } from './io.js';
