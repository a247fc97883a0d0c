import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isConnectorError, type ConnectorError } from '../../src/core/errors.js';

/** A temporary directory for connectors files, removed by `cleanup()`. */
export async function tempFiles(): Promise<{ write(name: string, text: string): Promise<string>; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ia-registry-'));
  return {
    dir,
    write: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The ConnectorError a promise or function throws; fails the test when it throws anything else or nothing. */
export async function thrown(action: Promise<unknown> | (() => unknown)): Promise<ConnectorError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError, but nothing was thrown');
}

/** Lines as written in a file, joined: keeps YAML fixtures readable with exact line numbers. */
export function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}

/** The ConnectorError a synchronous function throws. */
export function thrownSync(action: () => unknown): ConnectorError {
  try {
    action();
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError, but nothing was thrown');
}
