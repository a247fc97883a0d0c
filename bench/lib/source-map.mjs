import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const cache = new Map();

/**
 * Maps a 0-based line and column in a compiled file to `src/...ts:line` through
 * the `.js.map` beside it (undefined when there is none), so a profile points at
 * the source the reader edits.
 *
 * @example
 * ```js
 * import { originalPosition } from './source-map.mjs';
 * originalPosition('/repo/dist/core/compose.js', 12, 4, '/repo'); // 'src/core/compose.ts:18'
 * ```
 */
export function originalPosition(file, line, column, root) {
  const map = load(file);
  const segments = map?.lines[line];
  if (!segments || segments.length === 0) return undefined;
  let best = segments[0];
  for (const segment of segments) if (segment.column <= column) best = segment;
  const source = map.sources[best.source];
  return source === undefined ? undefined : `${relative(root, source)}:${best.line + 1}`;
}

function load(file) {
  if (cache.has(file)) return cache.get(file);
  const mapFile = `${file}.map`;
  let map;
  if (existsSync(mapFile)) {
    const raw = JSON.parse(readFileSync(mapFile, 'utf8'));
    const base = resolve(dirname(file), raw.sourceRoot ?? '');
    map = { sources: raw.sources.map((s) => resolve(base, s)), lines: decode(raw.mappings) };
  }
  cache.set(file, map);
  return map;
}

/** Decodes the VLQ `mappings` string into segments per generated line. */
function decode(mappings) {
  const lines = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const text of mappings.split(';')) {
    const segments = [];
    let generated = 0;
    for (const part of text.split(',')) {
      if (part === '') continue;
      const fields = vlq(part);
      generated += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        line += fields[2];
        column += fields[3];
        segments.push({ column: generated, source, line, sourceColumn: column });
      }
    }
    lines.push(segments);
  }
  return lines;
}

function vlq(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
