import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of a file shipped with the package (`examples/…`, `package.json`).
 * This module sits two folders below the package root both as source and compiled.
 *
 * @example
 * ```ts
 * import { packageFile } from './package-files.js';
 * packageFile('examples/demo.pipeline.json');
 * ```
 */
export function packageFile(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

/**
 * The package version from its `package.json`.
 *
 * @example
 * ```ts
 * import { packageVersion } from './package-files.js';
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
