import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import protobuf from 'protobufjs';
import { ConnectorError } from '../../core/errors.js';
import { describeUnresolved } from './proto-resolve.js';

const BUNDLED_PREFIX = 'google/protobuf/';

// protobufjs bundles the common well-known types but not descriptor.proto, which
// custom options import; it ships the parsed file, so register it once.
if (!protobuf.common.get(`${BUNDLED_PREFIX}descriptor.proto`)) {
  const json = createRequire(import.meta.url)('protobufjs/google/protobuf/descriptor.json') as { nested: { google: { nested: { protobuf: { nested: Record<string, unknown> } } } } };
  protobuf.common('descriptor', json.nested.google.nested.protobuf.nested);
}

/**
 * Parses `.proto` files and everything they import into one protobufjs `Root`.
 * Relative paths are looked up in `includeDirs`, then (for `protoFiles`) the working
 * directory and (for imports) the importing file's folder. Field names stay as the
 * `.proto` writes them. Every failure is a `PROTO` error naming the file, and the line
 * when there is one: a missing file, a syntax error, an import that is nowhere, a
 * type that does not exist.
 *
 * @example
 * ```ts
 * import { loadProtoFiles } from './proto-files.js';
 * const root = await loadProtoFiles(['greeter.proto'], ['protos']);
 * root.lookupService('demo.Greeter').methodsArray.map((m) => m.name);
 * ```
 */
export async function loadProtoFiles(files: readonly string[], includeDirs: readonly string[]): Promise<protobuf.Root> {
  const root = new protobuf.Root();
  const seen = new Set<string>();
  const sources = new Map<string, string>();
  const load = async (path: string, label: string): Promise<void> => {
    if (seen.has(path)) return;
    seen.add(path);
    let source: string;
    try {
      source = await readFile(path, 'utf8');
    } catch (error) {
      throw new ConnectorError('PROTO', `${label}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); fix the path`, { cause: error, details: { file: path } });
    }
    sources.set(path, source);
    const parsed = parseSource(source, path, root);
    for (const name of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      const bundled = protobuf.common.get(name) ?? protobuf.common.get(name.slice(name.lastIndexOf(BUNDLED_PREFIX)));
      if (name.includes(BUNDLED_PREFIX) && bundled) {
        if (!seen.has(name)) root.addJSON((bundled as { nested: Record<string, protobuf.AnyNestedObject> }).nested);
        seen.add(name);
        continue;
      }
      const found = await locate(name, [...includeDirs, dirname(path)]);
      if (!found) {
        const line = lineOf(source, `"${name}"`);
        throw new ConnectorError(
          'PROTO',
          `${path}${line ? ` line ${line}` : ''}: import "${name}" not found in ${[...includeDirs, dirname(path)].join(', ')}; add the folder that holds it to includeDirs`,
          { details: { file: path, ...(line ? { line } : {}), import: name } },
        );
      }
      await load(found, path);
    }
  };
  for (const [index, file] of files.entries()) {
    const label = `protoFiles[${index}]`;
    const candidates = isAbsolute(file) ? [file] : [...includeDirs.map((dir) => resolve(dir, file)), resolve(file)];
    const found = await firstExisting(candidates);
    if (!found) {
      throw new ConnectorError('PROTO', `${label}: "${file}" not found (looked for ${candidates.join(', ')}); fix the path or add its folder to includeDirs`, {
        details: { file },
      });
    }
    await load(found, label);
  }
  try {
    root.resolveAll();
  } catch (error) {
    throw describeUnresolved(root, error, sources);
  }
  return root;
}

function parseSource(source: string, path: string, root: protobuf.Root): protobuf.IParserResult {
  // protobufjs stamps this on every type it parses; errors about a type can then name its file.
  (protobuf.parse as unknown as { filename: string | null }).filename = path;
  try {
    return protobuf.parse(source, root, { keepCase: true, alternateCommentMode: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)\)\s*$/.exec(message)?.[1];
    const problem = message.replace(/\s*\((?:[^()]*, )?line \d+\)\s*$/, '');
    throw new ConnectorError('PROTO', `${path}${line ? ` line ${line}` : ''}: ${problem}; fix the .proto file`, {
      cause: error,
      details: { file: path, ...(line ? { line: Number(line) } : {}) },
    });
  }
}

async function locate(name: string, dirs: readonly string[]): Promise<string | undefined> {
  return isAbsolute(name) ? firstExisting([name]) : firstExisting(dirs.map((dir) => resolve(dir, name)));
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    const isFile = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) return path;
  }
  return undefined;
}

function lineOf(source: string, text: string): number | undefined {
  const at = source.indexOf(text);
  return at < 0 ? undefined : source.slice(0, at).split('\n').length;
}
