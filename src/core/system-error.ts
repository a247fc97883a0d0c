// undici reports these wrapper codes with the real cause (ECONNREFUSED, a TLS code, ...) underneath.
const WRAPPER_CODES = new Set(['UND_ERR_SOCKET', 'UND_ERR_CONNECT']);

/**
 * The most specific `code` on an error or its causes (a few levels deep): the system
 * code such as `ECONNREFUSED` rather than a client library's wrapper code.
 *
 * @example
 * ```ts
 * import { systemErrorCode } from 'ia-connectors';
 * systemErrorCode(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET', cause: { code: 'ECONNRESET' } })); // 'ECONNRESET'
 * ```
 */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  let wrapper: string | undefined;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (!WRAPPER_CODES.has(code)) return code;
      wrapper ??= code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return wrapper;
}

/**
 * The `host:port` of a URL for messages, or the text itself when it does not parse.
 *
 * @example
 * ```ts
 * import { hostOf } from 'ia-connectors';
 * hostOf('http://127.0.0.1:8080/a'); // '127.0.0.1:8080'
 * ```
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
