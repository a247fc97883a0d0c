import { ConnectorError } from '../core/errors.js';
import { parsePath, type PathSegment } from './path.js';

/**
 * A piece of a template string: literal text, or a `{{ reference }}`.
 *
 * @example
 * ```ts
 * import type { TemplatePart } from 'ia-connectors';
 * const part: TemplatePart = { kind: 'ref', source: '{{ parameters.name }}', path: ['parameters', 'name'] };
 * ```
 */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'ref'; source: string; path: PathSegment[] };

const EXAMPLE = 'write a reference such as {{ parameters.name }}, {{ pipeline_input.id }}, {{ steps.load.result.users[0].id }} or {{ load.users }}';

/**
 * Splits a string into text and `{{ reference }}` parts. A string without `{{` is one
 * text part. Filters, expressions and unclosed braces are refused rather than passed
 * through as text, so a mistake never reaches the remote service.
 *
 * @param where - names the place for the error message, e.g. `step "load" inputs.id`.
 * @throws `TEMPLATE` {@link ConnectorError} for malformed templates.
 * @example
 * ```ts
 * import { parseTemplate } from 'ia-connectors';
 * parseTemplate('Hello {{ parameters.name }}!', 'greeting');
 * // [{ kind: 'text', text: 'Hello ' }, { kind: 'ref', ... }, { kind: 'text', text: '!' }]
 * ```
 */
export function parseTemplate(text: string, where: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    if (open < 0) {
      parts.push({ kind: 'text', text: text.slice(position) });
      break;
    }
    if (open > position) parts.push({ kind: 'text', text: text.slice(position, open) });
    const close = text.indexOf('}}', open + 2);
    const nested = text.indexOf('{{', open + 2);
    if (close < 0 || (nested >= 0 && nested < close)) {
      throw malformed(where, text, `"{{" at position ${open} is never closed; close it with "}}"`);
    }
    const source = text.slice(open, close + 2);
    const expression = source.slice(2, -2).trim();
    if (expression === '') throw malformed(where, text, `${source} is empty; ${EXAMPLE}`);
    const path = parsePath(expression);
    if (!path) throw malformed(where, text, `${source} is not a reference (filters and expressions are not supported); ${EXAMPLE}`);
    parts.push({ kind: 'ref', source, path });
    position = close + 2;
  }
  return parts;
}

/**
 * True when the string holds at least one `{{`; a cheap test before parsing.
 *
 * @example
 * ```ts
 * import { hasTemplate } from 'ia-connectors';
 * hasTemplate('/users/{id}'); // false
 * ```
 */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

function malformed(where: string, text: string, problem: string): ConnectorError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new ConnectorError('TEMPLATE', `${where}: malformed template "${shown}": ${problem}`);
}
