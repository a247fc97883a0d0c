import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ConnectorError } from '../core/errors.js';
import { normalizeConnectorsValue } from './normalize.js';
import { createLocator, type Locator } from './positions.js';
import type { ConnectorConfig } from './protocols.js';
import { configErrorFromIssues, formatLocation } from './report.js';

/**
 * A connectors file, read and validated. Secret references are still references:
 * they are resolved when each connector connects.
 *
 * @example
 * ```ts
 * import { loadConnectorsFile } from 'ia-connectors';
 * const { connectors, sources } = await loadConnectorsFile('connectors.yaml');
 * console.log(connectors.map((c) => `${c.name} at ${sources[c.name]}`));
 * ```
 */
export interface LoadedConnectorsFile {
  file: string;
  /** Every connector, camelCase, defaults filled in, in file order. */
  connectors: ConnectorConfig[];
  /** Where each connector is written, `file:line:column`, by name. */
  sources: Record<string, string>;
}

/**
 * Reads and validates a connectors file: `.json` as JSON, anything else as YAML 1.2.
 * A syntax error is a `CONFIG` error with the file, line and column; invalid content
 * is one `CONFIG` error listing every problem with its path and position.
 *
 * @example
 * ```ts
 * import { loadConnectorsFile } from 'ia-connectors';
 * const file = await loadConnectorsFile('./connectors.yaml');
 * ```
 */
export async function loadConnectorsFile(path: string): Promise<LoadedConnectorsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : `it cannot be read (${String(code ?? error)})`;
    throw new ConnectorError('CONFIG', `cannot load connectors file ${path}: ${why}; check the path`, { cause: error, details: { file: path } });
  }
  return parseConnectorsText(text, path);
}

/**
 * Parses and validates the text of a connectors file; `fileName` picks the format
 * (`.json` is JSON, anything else YAML 1.2) and names the file in errors.
 *
 * @example
 * ```ts
 * import { parseConnectorsText } from 'ia-connectors';
 * const file = parseConnectorsText('connectors:\n  - name: users\n    baseUrl: http://127.0.0.1:8080\n', 'inline.yaml');
 * ```
 */
export function parseConnectorsText(text: string, fileName = 'connectors.yaml'): LoadedConnectorsFile {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const json = extname(fileName).toLowerCase() === '.json';
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, merge: !json, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntax = [...doc.errors, ...doc.warnings].map((e) => ({ message: e.message, ...at(e.pos[0]) }));
  if (syntax.length > 0) throw syntaxError(fileName, json, syntax);
  const value = json ? parseJson(source, fileName, at) : toValue(doc, fileName);
  const locate = createLocator(doc, lineCounter);
  const { connectors, issues } = normalizeConnectorsValue(value);
  if (issues.length > 0) throw configErrorFromIssues(issues, { subject: `connectors file ${fileName}`, file: fileName, locate });
  return {
    file: fileName,
    connectors: connectors.map((c) => c.config),
    sources: Object.fromEntries(connectors.map((c) => [c.config.name, where(fileName, locate, c.path)])),
  };
}

function where(file: string, locate: Locator, path: PropertyKey[]): string {
  return formatLocation(file, locate(path, false));
}

type Located = { message: string; line: number; column: number };

function syntaxError(file: string, json: boolean, problems: Located[]): ConnectorError {
  const kind = json ? 'JSON' : 'YAML';
  const lines = problems.map((p) => `  - ${file}:${p.line}:${p.column} ${p.message}`);
  const first = problems[0] as Located;
  return new ConnectorError('CONFIG', `invalid ${kind} in ${file}; fix the syntax:\n${lines.join('\n')}`, {
    details: { file, line: first.line, column: first.column, issues: problems.map((p) => ({ file, ...p, path: '(syntax)' })) },
  });
}

function parseJson(text: string, file: string, at: (offset: number) => { line: number; column: number }): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8 may quote the surrounding text, which could hold a secret; keep only the reason and position.
    const raw = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(raw)?.[1];
    const reason = raw.replace(/,? ".*" is not valid JSON$/s, ' is not valid JSON').replace(/ in JSON at position \d+.*$/s, '');
    const located = at(position === undefined ? text.length : Number(position));
    throw syntaxError(file, true, [{ message: `${reason} (JSON allows no comments, trailing commas or unquoted text)`, ...located }]);
  }
}

function toValue(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectorError('CONFIG', `cannot read ${file}: ${reason}; remove the alias loop or reduce the aliases`, { cause: error, details: { file } });
  }
}
