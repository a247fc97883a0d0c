import { ConnectorError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';

/**
 * Parses JSON; on a syntax error throws a {@link ConnectorError} with `code` whose
 * message is `<source>:<line>:<column> not valid JSON: <what is wrong and the fix>`.
 * The text itself is never quoted back, so a secret in it cannot reach the terminal.
 *
 * @example
 * ```ts
 * import { parseJsonText } from './json-syntax.js';
 * parseJsonText('{"a": 1,}', 'pipeline.json', 'PIPELINE'); // throws: pipeline.json:1:9 not valid JSON: ...
 * ```
 */
export function parseJsonText(text: string, source: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const found = findSyntaxError(text) ?? { offset: 0, problem: 'it cannot be parsed' };
    const { line, column } = lineAndColumn(text, found.offset);
    throw new ConnectorError(code, `${source}:${line}:${column} not valid JSON: ${found.problem}`, {
      cause: error,
      details: { file: source, line, column },
    });
  }
}

/**
 * 1-based line and column of a character offset.
 *
 * @example
 * ```ts
 * import { lineAndColumn } from './json-syntax.js';
 * lineAndColumn('{\n  x', 4); // { line: 2, column: 3 }
 * ```
 */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

interface Found {
  offset: number;
  problem: string;
}

class Stop extends Error {
  constructor(readonly found: Found) {
    super(found.problem);
  }
}

/**
 * The first syntax error of `text` as an offset and a readable problem, or undefined
 * when the text is valid JSON.
 *
 * @example
 * ```ts
 * import { findSyntaxError } from './json-syntax.js';
 * findSyntaxError('[1 2]')?.problem; // "expected ',' or ']' after a list item"
 * ```
 */
export function findSyntaxError(text: string): Found | undefined {
  let i = 0;
  const fail = (problem: string, at = i): never => {
    throw new Stop({ offset: at, problem });
  };
  const describe = (): string => (i >= text.length ? 'the end of the file' : `"${text[i]}"`);
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}; expected a value (string, number, object, list, true, false or null)`);
  };
  const string = (): void => {
    const open = i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a line break or control character inside a string; write it as \\n or close the string with "');
      if (text[i] === '\\') {
        const next = text[i + 1];
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail(`invalid escape "\\${next ?? ''}" in a string; escape a backslash as \\\\`);
      } else i++;
    }
    if (i >= text.length) fail('a string is never closed; add the closing "', open);
    i++;
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail(`unexpected ${describe()}; expected a value (string, number, object, list, true, false or null)`);
    i += (match as RegExpExecArray)[0].length;
  };
  const list = (open: '{' | '['): void => {
    const close = open === '{' ? '}' : ']';
    const what = open === '{' ? 'a property value' : 'a list item';
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (open === '{') {
        space();
        if (text[i] !== '"') fail(text[i] === close ? 'a trailing comma before "}"; remove the comma' : `expected a property name in double quotes, found ${describe()}`);
        string();
        space();
        if (text[i] !== ':') fail(`expected ":" after the property name, found ${describe()}`);
        i++;
      }
      space();
      if (open === '[' && text[i] === ']') fail('a trailing comma before "]"; remove the comma');
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(i >= text.length ? `the file ends before the closing "${close}"; add it` : `expected "," or "${close}" after ${what}, found ${describe()}`);
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') list(c);
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail(i >= text.length ? 'the file is empty or ends where a value should be' : `unexpected ${describe()}; expected a value (string, number, object, list, true, false or null)`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value; remove it`);
    return undefined;
  } catch (error) {
    // A RangeError from absurd nesting is not worth a position; the caller falls back.
    return error instanceof Stop ? error.found : undefined;
  }
}
