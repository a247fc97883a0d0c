import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Extra response headers; they override the defaults a behaviour sets. */
export type ResponseHeaders = Record<string, string>;

/**
 * Ends `res` with `code`, `body` and an exact Content-Length; `headers` win
 * over `defaults`.
 */
export function send(res: ServerResponse, code: number, defaults: OutgoingHttpHeaders, headers: ResponseHeaders, body: string): void {
  // 204 and 304 must not carry Content-Length (RFC 9110 §8.6).
  const length = code === 204 || code === 304 ? {} : { 'content-length': Buffer.byteLength(body) };
  setHeaders(res, { ...defaults, ...length }, headers);
  res.writeHead(code);
  res.end(body);
}

/**
 * Sets `defaults`, then `headers` over them, one name at a time: writeHead({...})
 * would send both spellings of a header given in two cases.
 */
export function setHeaders(res: ServerResponse, defaults: OutgoingHttpHeaders, headers: ResponseHeaders): void {
  for (const [name, value] of Object.entries(defaults)) if (value !== undefined) res.setHeader(name, value);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
