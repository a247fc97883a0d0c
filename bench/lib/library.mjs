import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Loads the compiled package entry (`dist/index.js` unless `--dist` names another
 * build), so the benchmark measures exactly what users run.
 *
 * @example
 * ```js
 * import { loadLibrary } from './library.mjs';
 * const { lib, entry } = await loadLibrary('dist');
 * lib.createRestConnector({ name: 'x', baseUrl: 'http://127.0.0.1:8080' });
 * ```
 */
export async function loadLibrary(distDir) {
  const entry = resolve(distDir, 'index.js');
  if (!existsSync(entry)) {
    throw Object.assign(new Error(`${entry} does not exist; run "npm run build" first (or pass --dist <folder> with a compiled build)`), { code: 'BENCH_USAGE' });
  }
  const lib = await import(pathToFileURL(entry).href);
  return { lib, entry, builtAt: statSync(entry).mtime.toISOString() };
}

/**
 * Why a connector row cannot run: `undefined` when every factory it needs is
 * exported from the build, otherwise a "not available" line naming what is missing.
 *
 * @example
 * ```js
 * import { missingExports } from './library.mjs';
 * missingExports(lib, ['createGrpcConnector']); // 'not available: createGrpcConnector is not exported by dist/index.js'
 * ```
 */
export function missingExports(lib, names) {
  const missing = names.filter((name) => typeof lib[name] !== 'function');
  if (missing.length === 0) return undefined;
  return `not available: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not exported by the build`;
}
