/**
 * Where a value of a normalised config came from: `target` is its path in the config the
 * schema validates, `source` its path in the file as written (a legacy field, or a
 * `defaults` entry), `note` how it was converted. Errors are reported at the source.
 *
 * @example
 * ```ts
 * import type { Origin } from './origins.js';
 * const o: Origin = { target: ['retry', 'maxAttempts'], source: ['connectors', 0, 'max_retries'], note: 'read as max_retries + 1' };
 * ```
 */
export interface Origin {
  readonly target: readonly PropertyKey[];
  readonly source: readonly PropertyKey[];
  readonly note?: string;
}

/**
 * A validation problem at a path of the file as written.
 *
 * @example
 * ```ts
 * import type { Issue } from './origins.js';
 * const i: Issue = { path: ['connectors', 1, 'baseURL'], message: 'unknown field "baseURL"', atKey: true };
 * ```
 */
export interface Issue {
  path: PropertyKey[];
  message: string;
  /** Point at the key rather than the value (unknown fields). */
  atKey?: boolean;
  /** Another place the message refers to, such as the first use of a duplicate name. */
  related?: PropertyKey[];
}

/**
 * Moves an issue raised on a normalised config back to the field the user wrote: the
 * longest origin whose target prefixes the issue's path wins; otherwise the issue
 * stays under `base` (the connector's own path in the file).
 *
 * @example
 * ```ts
 * import { remapIssue } from './origins.js';
 * const origins = [{ target: ['timeout', 'connect'], source: ['connectors', 0, 'connection_timeout'] }];
 * remapIssue({ path: ['timeout', 'connect'], message: 'too large' }, origins, ['connectors', 0]).path; // ['connectors', 0, 'connection_timeout']
 * ```
 */
export function remapIssue(issue: Issue, origins: readonly Origin[], base: readonly PropertyKey[]): Issue {
  let best: Origin | undefined;
  for (const origin of origins) {
    if (startsWith(issue.path, origin.target) && (!best || origin.target.length > best.target.length)) best = origin;
  }
  if (!best) return { ...issue, path: [...base, ...issue.path] };
  const rest = issue.path.slice(best.target.length);
  const message = best.note ? `${issue.message} (${best.note})` : issue.message;
  return { ...issue, path: [...best.source, ...rest], message };
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((key, i) => key === path[i]);
}
