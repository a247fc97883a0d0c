import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConnectorError } from '../core/errors.js';

/**
 * Reads a UTF-8 file named on the command line (relative to `cwd`); a missing or
 * unreadable file is a `CONFIG` error naming it and what it was for.
 *
 * @example
 * ```ts
 * import { readTextFile } from './read-file.js';
 * const text = await readTextFile('pipeline.json', process.cwd(), 'pipeline');
 * ```
 */
export async function readTextFile(file: string, cwd: string, what: string): Promise<string> {
  const path = resolve(cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? `no such file (looked for ${path})` : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new ConnectorError('CONFIG', `${file}: ${problem}; check the ${what} file path`, { cause: error });
  }
}
