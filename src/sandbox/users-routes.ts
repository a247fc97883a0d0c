import type { SandboxPost, SandboxUser } from './data.js';
import { errorReply, type SandboxHandler, type SandboxReply, type SandboxRequest, type SandboxRoute } from './http-types.js';
import { cursorPage, intParam, isReply, nextLink, numberedPage } from './pagination.js';

/**
 * The users API: `GET /users` (cursor pages: `next_cursor` in the body and a
 * `Link: rel="next"` header), `GET /users/:key` (by id or username),
 * `GET /users/:key/posts` (numbered pages, `Link` header only, body a plain list) and
 * `POST /audit`. Every route goes through `guard` (the sandbox puts bearer auth there).
 *
 * @example
 * ```ts
 * import { usersRoutes } from './users-routes.js';
 * import { seedPeople } from './data.js';
 * const routes = usersRoutes(seedPeople(), (handler) => handler);
 * ```
 */
export function usersRoutes(
  data: { users: SandboxUser[]; posts: SandboxPost[] },
  guard: (handler: SandboxHandler) => SandboxHandler,
): SandboxRoute[] {
  const audit: unknown[] = [];
  const find = (key: string): SandboxUser | undefined => data.users.find((u) => String(u.id) === key || u.username === key);

  const list = (request: SandboxRequest): SandboxReply => {
    const limit = intParam(request.query, 'limit', 10, 1, 100);
    if (isReply(limit)) return limit;
    const page = cursorPage(data.users, request.query.get('cursor'), limit);
    if (isReply(page)) return page;
    return { status: 200, headers: nextLink(request, page.next), body: { data: page.items, next_cursor: page.next?.['cursor'] ?? null } };
  };

  const one = (request: SandboxRequest): SandboxReply => {
    const key = request.params['key'] ?? '';
    const user = find(key);
    return user ? { status: 200, body: user } : errorReply(404, 'not_found', `no user with id or username "${key}"`);
  };

  const posts = (request: SandboxRequest): SandboxReply => {
    const key = request.params['key'] ?? '';
    const user = find(key);
    if (!user) return errorReply(404, 'not_found', `no user with id or username "${key}"`);
    const number = intParam(request.query, 'page', 1, 1, 10_000);
    if (isReply(number)) return number;
    const perPage = intParam(request.query, 'per_page', 10, 1, 100);
    if (isReply(perPage)) return perPage;
    const page = numberedPage(data.posts.filter((p) => p.user_id === user.id), number, perPage);
    return { status: 200, headers: nextLink(request, page.next), body: page.items };
  };

  const record = (request: SandboxRequest): SandboxReply => {
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      return errorReply(400, 'invalid_body', 'send a JSON object, e.g. { "user": 1, "event": "no_posts" }');
    }
    const entry = { id: `audit_${audit.length + 1}`, ...(request.body as Record<string, unknown>), recorded_at: new Date().toISOString() };
    audit.push(entry);
    return { status: 201, body: entry };
  };

  return [
    { method: 'GET', path: '/users', handler: guard(list) },
    { method: 'GET', path: '/users/:key', handler: guard(one) },
    { method: 'GET', path: '/users/:key/posts', handler: guard(posts) },
    { method: 'POST', path: '/audit', handler: guard(record) },
  ];
}
