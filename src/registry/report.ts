import { formatPath } from '../core/config.js';
import { ConnectorError } from '../core/errors.js';
import type { Issue } from './origins.js';
import type { Locator } from './positions.js';

/**
 * One problem as reported in a `CONFIG` error's `details.issues`.
 *
 * @example
 * ```ts
 * import type { ReportedIssue } from 'ia-connectors';
 * const i: ReportedIssue = { path: 'connectors[1].retry.maxAttempts', message: 'must be at most 20', file: 'connectors.yaml', line: 12, column: 20 };
 * ```
 */
export interface ReportedIssue {
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * Where the issues come from: a file (and how to find positions in it) or a subject
 * such as `connector configs` when they come from code.
 *
 * @example
 * ```ts
 * import type { IssueSource } from './report.js';
 * const source: IssueSource = { subject: 'connectors file connectors.yaml', file: 'connectors.yaml' };
 * ```
 */
export interface IssueSource {
  subject: string;
  file?: string;
  locate?: Locator;
}

/**
 * One `CONFIG` error listing every issue, each as `file:line:column path: message`
 * (the location only when known), sorted by position. `details.issues` holds the same
 * as data for tools.
 *
 * @example
 * ```ts
 * import { configErrorFromIssues } from './report.js';
 * throw configErrorFromIssues([{ path: ['connectors', 0, 'baseUrl'], message: 'is required' }], { subject: 'connector configs' });
 * ```
 */
export function configErrorFromIssues(issues: readonly Issue[], source: IssueSource): ConnectorError {
  const reported = dedupe(issues.map((issue) => report(issue, source)));
  reported.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  const lines = reported.map((issue) => `  - ${where(issue)}${issue.path}: ${issue.message}`);
  const noun = lines.length === 1 ? 'problem' : 'problems';
  return new ConnectorError('CONFIG', `invalid ${source.subject}: ${lines.length} ${noun}\n${lines.join('\n')}`, {
    details: { ...(source.file === undefined ? {} : { file: source.file }), issues: reported },
  });
}

/**
 * `file:line:column ` for a position, or an empty string when nothing is known.
 *
 * @example
 * ```ts
 * import { formatLocation } from './report.js';
 * formatLocation('connectors.yaml', { line: 3, column: 7 }); // 'connectors.yaml:3:7'
 * ```
 */
export function formatLocation(file: string | undefined, position: { line?: number; column?: number } | undefined): string {
  if (position?.line === undefined) return file ?? '';
  return `${file ?? '(text)'}:${position.line}:${position.column ?? 1}`;
}

function report(issue: Issue, source: IssueSource): ReportedIssue {
  const position = source.locate?.(issue.path, issue.atKey === true);
  let message = issue.message;
  if (issue.related) {
    const other = source.locate?.(issue.related, false);
    if (other) message += ` (${formatLocation(source.file, other)})`;
  }
  return {
    path: formatPath(issue.path),
    message,
    ...(source.file === undefined ? {} : { file: source.file }),
    ...(position ? { line: position.line, column: position.column } : {}),
  };
}

function where(issue: ReportedIssue): string {
  return issue.line === undefined ? '' : `${formatLocation(issue.file, issue)} `;
}

function dedupe(issues: ReportedIssue[]): ReportedIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
