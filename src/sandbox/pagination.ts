import { errorReply, type SandboxReply, type SandboxRequest } from './http-types.js';

/**
 * One page of a list, with what the client needs to ask for the next one.
 *
 * @example
 * ```ts
 * import type { Page } from './pagination.js';
 * const p: Page<number> = { items: [1, 2], next: { cursor: 'abc' } };
 * ```
 */
export interface Page<T> {
  items: T[];
  /** Query parameters that fetch the next page; absent on the last page. */
  next?: Record<string, string>;
}

/**
 * Reads a whole number query parameter within bounds, or explains what is wrong.
 *
 * @example
 * ```ts
 * import { intParam } from './pagination.js';
 * intParam(new URLSearchParams('limit=5'), 'limit', 10, 1, 100); // 5
 * ```
 */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number | SandboxReply {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    return errorReply(400, 'invalid_parameter', `${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Pages `items` by an opaque cursor (`?cursor=&limit=`), as Stripe and Slack do.
 *
 * @example
 * ```ts
 * import { cursorPage } from './pagination.js';
 * cursorPage([1, 2, 3], null, 2); // { items: [1, 2], next: { cursor: '…' } }
 * ```
 */
export function cursorPage<T>(items: readonly T[], cursor: string | null, limit: number): Page<T> | SandboxReply {
  let offset = 0;
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (decoded === undefined || decoded > items.length) return errorReply(400, 'invalid_cursor', `cursor "${cursor}" was not issued by this API; start again without a cursor`);
    offset = decoded;
  }
  const end = offset + limit;
  const page = items.slice(offset, end);
  return end < items.length ? { items: page, next: { cursor: Buffer.from(JSON.stringify({ o: end })).toString('base64url') } } : { items: page };
}

/**
 * Pages `items` by number (`?page=&per_page=`), as GitHub does.
 *
 * @example
 * ```ts
 * import { numberedPage } from './pagination.js';
 * numberedPage([1, 2, 3], 2, 2); // { items: [3] }
 * ```
 */
export function numberedPage<T>(items: readonly T[], page: number, perPage: number): Page<T> {
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  return start + perPage < items.length ? { items: slice, next: { page: String(page + 1) } } : { items: slice };
}

/**
 * The `Link` header (RFC 8288) pointing at the next page: the request's own URL with
 * the next page's query parameters, so other query parameters carry over.
 *
 * @example
 * ```ts
 * import { nextLink } from './pagination.js';
 * declare const request: import('./http-types.js').SandboxRequest;
 * nextLink(request, { page: '2' }); // { link: '<http://127.0.0.1:4000/users/1/posts?page=2>; rel="next"' }
 * ```
 */
export function nextLink(request: SandboxRequest, next: Record<string, string> | undefined): Record<string, string> {
  if (!next) return {};
  const url = new URL(request.path, request.origin);
  for (const [key, value] of request.query) url.searchParams.append(key, value);
  for (const [key, value] of Object.entries(next)) url.searchParams.set(key, value);
  return { link: `<${url.toString()}>; rel="next"` };
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const value = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }).o;
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when a value is a {@link SandboxReply} (an error to send) rather than a result.
 *
 * @example
 * ```ts
 * import { isReply, intParam } from './pagination.js';
 * isReply(intParam(new URLSearchParams('limit=x'), 'limit', 10, 1, 100)); // true
 * ```
 */
export function isReply(value: unknown): value is SandboxReply {
  return typeof value === 'object' && value !== null && 'status' in value && typeof (value as { status: unknown }).status === 'number';
}
