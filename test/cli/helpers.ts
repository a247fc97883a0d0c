import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sandboxConnectorsYaml } from '../../src/sandbox/connectors-config.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; tty?: boolean; signal?: AbortSignal },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true, columns: 120 },
    env: options.env ?? {},
    cwd: options.cwd,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
}

/** A temporary folder per test, removed afterwards; `write` puts a file in it. */
export function useWorkdir(): { dir(): Promise<string>; write(name: string, text: string | object): Promise<string> } {
  let current: string | undefined;
  afterEach(async () => {
    if (current) await rm(current, { recursive: true, force: true });
    current = undefined;
  });
  const dir = async (): Promise<string> => (current ??= await mkdtemp(join(tmpdir(), 'ia-connectors-cli-')));
  return {
    dir,
    async write(name, text) {
      const path = join(await dir(), name);
      await writeFile(path, typeof text === 'string' ? text : JSON.stringify(text, null, 2), 'utf8');
      return name;
    },
  };
}

/** Starts a sandbox for the test and writes `sandbox.connectors.yaml` for its ports into `dir`. */
export function useSandboxFiles(workdir: ReturnType<typeof useWorkdir>): { start(): Promise<Sandbox> } {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  return {
    async start() {
      sandbox = await startSandbox();
      await workdir.write('sandbox.connectors.yaml', sandboxConnectorsYaml(sandbox.urls));
      return sandbox;
    },
  };
}

/** Absolute path of a file in `examples/`. */
export function example(name: string): string {
  return join(import.meta.dirname, '..', '..', 'examples', name);
}
