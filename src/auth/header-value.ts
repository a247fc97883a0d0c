import { ConnectorError, type ConnectorErrorOptions } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';

// What RFC 9110 allows in a field value; undici refuses anything else.
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Throws unless `value` can be sent as a header value (no line breaks, no control
 * characters). The message names `what` (a field or a reference), never the value.
 *
 * @example
 * ```ts
 * import { assertHeaderValue } from 'ia-connectors';
 * assertHeaderValue('Bearer abc', 'auth.token', 'CONFIG');
 * ```
 */
export function assertHeaderValue(value: string, what: string, code: ErrorCode, options: ConnectorErrorOptions = {}): string {
  if (!INVALID_HEADER_CHAR.test(value)) return value;
  const index = value.search(INVALID_HEADER_CHAR);
  const char = value.charCodeAt(index);
  const kind = char === 10 || char === 13 ? 'a line break' : `the character U+${char.toString(16).padStart(4, '0').toUpperCase()}`;
  throw new ConnectorError(code, `${what} contains ${kind}, which a header value cannot carry; remove it (check the secret file for stray lines)`, options);
}
