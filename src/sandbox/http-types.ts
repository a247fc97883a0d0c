import type { IncomingHttpHeaders } from 'node:http';

/**
 * One request as a sandbox route sees it: the body already read and decoded
 * (JSON, form or text by content type), path parameters already URL-decoded.
 *
 * @example
 * ```ts
 * import type { SandboxRequest } from './http-types.js';
 * const who = (req: SandboxRequest) => req.params['username'] ?? 'anonymous';
 * ```
 */
export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The service's own origin, e.g. `http://127.0.0.1:43123`, for absolute links. */
  readonly origin: string;
}

/**
 * What a sandbox route answers. A `body` that is not a string is sent as JSON.
 *
 * @example
 * ```ts
 * import type { SandboxReply } from './http-types.js';
 * const notFound: SandboxReply = { status: 404, body: { error: 'not_found' } };
 * ```
 */
export interface SandboxReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A route handler: a plain function from request to reply, so each behaviour can be
 * tested without a socket.
 *
 * @example
 * ```ts
 * import type { SandboxHandler } from './http-types.js';
 * const health: SandboxHandler = () => ({ status: 200, body: { status: 'ok' } });
 * ```
 */
export type SandboxHandler = (request: SandboxRequest) => SandboxReply | Promise<SandboxReply>;

/**
 * A route: method, a path pattern with `:name` segments, and its handler.
 *
 * @example
 * ```ts
 * import type { SandboxRoute } from './http-types.js';
 * const route: SandboxRoute = { method: 'GET', path: '/users/:id', handler: (req) => ({ status: 200, body: { id: req.params['id'] } }) };
 * ```
 */
export interface SandboxRoute {
  method: string;
  path: string;
  handler: SandboxHandler;
}

/**
 * Builds a JSON error reply in the shape every sandbox endpoint uses:
 * `{ error, message }`.
 *
 * @example
 * ```ts
 * import { errorReply } from './http-types.js';
 * errorReply(404, 'not_found', 'no user "bob"');
 * ```
 */
export function errorReply(status: number, error: string, message: string, headers?: Record<string, string>): SandboxReply {
  return { status, body: { error, message }, ...(headers ? { headers } : {}) };
}
