import type { CliIo } from '../io.js';

/**
 * What every command gets: the outside world and the global flags.
 *
 * @example
 * ```ts
 * import type { CommandContext } from './context.js';
 * declare const ctx: CommandContext;
 * ctx.io.stdout.write('hello\n');
 * ```
 */
export interface CommandContext {
  io: CliIo;
  verbose: boolean;
}

/**
 * Writes lines to an output, each ending in a newline.
 *
 * @example
 * ```ts
 * import { writeLines } from './context.js';
 * writeLines(process.stdout, ['a', 'b']);
 * ```
 */
export function writeLines(out: { write(text: string): unknown }, lines: readonly string[]): void {
  if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
}
