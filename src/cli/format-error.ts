import { isConnectorError } from '../core/errors.js';
import type { SourcePosition } from '../registry/positions.js';
import { sourceOf } from './sourced-error.js';

/**
 * How to place an error's problems in a file: the file as the user named it, and
 * optionally a way to find the line and column one problem text refers to.
 *
 * @example
 * ```ts
 * import type { ErrorSource } from './format-error.js';
 * const source: ErrorSource = { file: 'pipeline.json', locate: () => ({ line: 3, column: 5 }) };
 * ```
 */
export interface ErrorSource {
  file?: string;
  locate?: (problem: string) => SourcePosition | undefined;
}

/**
 * Formats an error as readable lines, one per problem: `error CODE: file:line:col what is
 * wrong; what to do`. A multi-problem library error (a header and `  - ` items) gives
 * one line per item. The file comes from `source`, or else from the error's
 * attached source (see `attachSource`). With `verbose`, the cause chain follows, and for errors that are
 * not the library's own, the stack.
 *
 * @example
 * ```ts
 * import { formatError } from './format-error.js';
 * import { ConnectorError } from '../core/errors.js';
 * formatError(new ConnectorError('CONFIG', '--input: must be a JSON object'), {}); // ['error CONFIG: --input: must be a JSON object']
 * ```
 */
export function formatError(error: unknown, options: { verbose?: boolean; source?: ErrorSource }): string[] {
  const code = codeOf(error);
  const source = options.source ?? sourceOf(error);
  const lines = problemsOf(error).map((problem) => `error ${code}: ${placed(problem, source)}`);
  if (options.verbose) lines.push(...causeLines(error));
  return lines;
}

/**
 * The problems of an error message: the `  - ` items of a multi-problem message, or the
 * message itself.
 *
 * @example
 * ```ts
 * import { problemsOf } from './format-error.js';
 * problemsOf(new Error('invalid x: 2 problems\n  - a: bad\n  - b: bad')); // ['a: bad', 'b: bad']
 * ```
 */
export function problemsOf(error: unknown): string[] {
  const message = error instanceof Error ? error.message : String(error);
  const items = message.split('\n  - ');
  return items.length > 1 ? items.slice(1).map((item) => item.trim()) : [message.trim()];
}

function placed(problem: string, source: ErrorSource | undefined): string {
  const file = source?.file;
  if (file === undefined || problem.startsWith(`${file}:`) || problem.startsWith(`${file} `)) return problem;
  const at = source?.locate?.(problem);
  return at ? `${file}:${at.line}:${at.column} ${problem}` : `${file}: ${problem}`;
}

function codeOf(error: unknown): string {
  if (isConnectorError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'UNEXPECTED';
}

function causeLines(error: unknown): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>([error]);
  if (!isConnectorError(error) && error instanceof Error && error.stack) lines.push(...indent(error.stack));
  for (let cause = (error as { cause?: unknown } | null)?.cause; cause !== undefined && !seen.has(cause); cause = (cause as { cause?: unknown } | null)?.cause) {
    seen.add(cause);
    const message = cause instanceof Error ? cause.message : String(cause);
    lines.push(`  caused by ${codeOf(cause)}: ${message.split('\n').join('\n    ')}`);
    if (typeof cause !== 'object' || cause === null) break;
  }
  return lines;
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line.trim()}`);
}
