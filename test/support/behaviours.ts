import { send, type ResponseHeaders } from './respond.js';
import type { Behaviour } from './scripted-server.js';

export type { ResponseHeaders } from './respond.js';
// Behaviours that play with time or the connection live apart; re-exported so
// every behaviour is importable from here.
export { delay, huge, neverRespond, reset, resetAfterHeaders, slowBody, type HugeOptions } from './network-behaviours.js';

/** Answers `status` with `body` serialised as JSON. */
export function json(status: number, body: unknown, headers: ResponseHeaders = {}): Behaviour {
  return (_req, res) => send(res, status, { 'content-type': 'application/json' }, headers, JSON.stringify(body));
}

/** Answers `status` with `body` as `text/plain; charset=utf-8`. */
export function text(status: number, body: string, headers: ResponseHeaders = {}): Behaviour {
  return (_req, res) => send(res, status, { 'content-type': 'text/plain; charset=utf-8' }, headers, body);
}

/**
 * Answers `rawText` verbatim as `application/json`, for bodies that must not
 * parse (truncated, trailing commas, HTML error pages labelled as JSON).
 */
export function rawJson(status: number, rawText: string): Behaviour {
  return (_req, res) => send(res, status, { 'content-type': 'application/json' }, {}, rawText);
}

/** Answers `code` with an empty body. */
export function status(code: number, headers: ResponseHeaders = {}): Behaviour {
  return (_req, res) => send(res, code, {}, headers, '');
}

/** Answers 200 JSON `{ method, url, headers, body }`, the body decoded as UTF-8. */
export function echo(): Behaviour {
  return (req, res, { body }) => {
    const reflected = { method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') };
    send(res, 200, { 'content-type': 'application/json' }, {}, JSON.stringify(reflected));
  };
}

/** Answers `status` with a `Location` header and an empty body. */
export function redirect(status: number, location: string): Behaviour {
  return (_req, res) => send(res, status, { location }, {}, '');
}

/**
 * Redirects `…/<n>` to `…/<n-1>`, and `…/1` to `finalPath`, so a client
 * follows `count` redirects in all. The number is the last path segment; a
 * non-numeric one (e.g. `/chain/start`) counts as `count`. Route it on a prefix:
 *
 * @example
 * ```ts
 * server.route('GET', '/chain/*', redirectChain(3, '/done')).route('GET', '/done', json(200, {}));
 * // GET /chain/3 -> /chain/2 -> /chain/1 -> /done
 * ```
 */
export function redirectChain(count: number, finalPath: string, status = 302): Behaviour {
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const slash = pathname.lastIndexOf('/');
    const n = Number(pathname.slice(slash + 1));
    const remaining = Number.isInteger(n) && n > 0 ? n : count;
    const location = remaining <= 1 ? finalPath : `${pathname.slice(0, slash)}/${remaining - 1}`;
    send(res, status, { location }, {}, '');
  };
}
