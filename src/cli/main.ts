#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The thin process wrapper: real streams and environment, signals to abort, exit code.
const controller = new AbortController();
let interrupted = 0;
const interrupt = (): void => {
  interrupted += 1;
  // A second Ctrl+C means "now": stop waiting for running calls to finish.
  if (interrupted > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
process.off('SIGINT', interrupt);
process.off('SIGTERM', interrupt);
