const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\])/;

/**
 * Reads which place of a pipeline a problem text names, from the label the pipeline
 * checks put first: `steps[2] ("load").type: …`, `step "load" config.body.x: …`,
 * `flow.paths[1].to: …` or `pipeline outputs.id: …`. Returns undefined when the text
 * names no place, so the caller shows the file without a line.
 *
 * @example
 * ```ts
 * import { problemPath } from './problem-path.js';
 * problemPath('step "merge" config.body.prices: {{ prices.items }} cannot be resolved', ['load', 'merge']);
 * // ['steps', 1, 'config', 'body', 'prices']
 * ```
 */
export function problemPath(problem: string, stepIds: readonly string[]): PropertyKey[] | undefined {
  const step = /^step "([^"]+)"(:? )?/.exec(problem);
  if (step) {
    const index = stepIds.indexOf(step[1] as string);
    if (index < 0) return undefined;
    const rest = problem.slice(step[0].length);
    return ['steps', index, ...(leadingPath(rest) ?? [])];
  }
  const text = problem.startsWith('pipeline ') ? problem.slice('pipeline '.length) : problem;
  return leadingPath(text);
}

/** The path before the first `:` of `text`, ignoring ` ("id")` labels; undefined if it is not a path. */
function leadingPath(text: string): PropertyKey[] | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  let rest = text.slice(0, colon).replace(/ \("[^"]*"\)/g, '');
  const path: PropertyKey[] = [];
  while (rest !== '') {
    const match = SEGMENT.exec(rest);
    if (!match || (path.length === 0 && match[0].startsWith('.'))) return undefined;
    path.push(match[2] === undefined ? (match[1] as string) : Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  return path.length > 0 ? path : undefined;
}
