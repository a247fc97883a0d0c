import { ConnectorError } from '../../core/errors.js';
import type { ApiRequest, ApiResponse } from '../../core/types.js';
import { getPath, parsePath } from '../path.js';
import type { Paginate } from './api-call-config.js';
import { nextLink } from './link-header.js';

/**
 * Hooks {@link collectPages} uses: send one request (status already checked), report a
 * page, say something worth knowing.
 *
 * @example
 * ```ts
 * import type { PageHooks } from 'ia-connectors';
 * declare const send: (r: import('ia-connectors').ApiRequest) => Promise<import('ia-connectors').ApiResponse>;
 * const hooks: PageHooks = { where: 'step "list"', send, page: (n, items) => console.log(n, items), note: console.warn };
 * ```
 */
export interface PageHooks {
  /** Names the step in messages, e.g. `step "list"`. */
  where: string;
  send(request: ApiRequest): Promise<ApiResponse>;
  page(page: number, items: number): void;
  note(message: string): void;
}

/**
 * Fetches pages until one has no items or no next cursor/link, or `max_pages` or
 * `max_items` is reached, and returns the items of all pages in order.
 *
 * @example
 * ```ts
 * import { collectPages } from 'ia-connectors';
 * declare const hooks: import('ia-connectors').PageHooks;
 * const items = await collectPages({ method: 'GET', endpoint: '/items' }, { type: 'page', page_param: 'page', start: 1, max_pages: 10 }, hooks);
 * ```
 */
export async function collectPages(first: ApiRequest, paginate: Paginate, hooks: PageHooks): Promise<unknown[]> {
  const items: unknown[] = [];
  let request: ApiRequest | undefined = withPosition(first, paginate, 0, undefined);
  for (let page = 1; request; page++) {
    const response = await hooks.send(request);
    const label = `${hooks.where}: page ${page}`;
    const found = pageItems(response.body, paginate.items_path, label);
    hooks.page(page, found.length);
    if (found.length === 0) break;
    items.push(...found);
    if (paginate.max_items !== undefined && items.length >= paginate.max_items) {
      items.length = paginate.max_items;
      break;
    }
    const next = nextRequest(first, paginate, { collected: items.length, page, label }, response);
    if (next && page >= paginate.max_pages) {
      // A bound, not an error; but the caller should know the list is incomplete.
      hooks.note(`stopped after max_pages (${paginate.max_pages}); more pages remain`);
      break;
    }
    request = next;
  }
  return items;
}

function nextRequest(
  first: ApiRequest,
  paginate: Paginate,
  { collected, page, label }: { collected: number; page: number; label: string },
  response: ApiResponse,
): ApiRequest | undefined {
  if (paginate.type === 'link') {
    const url = nextLink(response.headers, response.url);
    // The link is a complete URL (its query already holds what the server needs). Whether
    // it may be followed is the connector's call: it refuses other origins.
    return url === undefined ? undefined : { ...first, endpoint: url, params: {}, query: {} };
  }
  if (paginate.type === 'cursor') {
    const path = parsePath(paginate.cursor_path);
    const lookup = path ? getPath(response.body, path) : undefined;
    const cursor = lookup?.found ? lookup.value : undefined;
    if (cursor === undefined || cursor === null || cursor === '') return undefined;
    if (typeof cursor !== 'string' && typeof cursor !== 'number') {
      throw new ConnectorError('STEP', `${label}: cursor at "${paginate.cursor_path}" is ${JSON.stringify(cursor)}, not a string or number`);
    }
    return withPosition(first, paginate, collected, cursor);
  }
  return withPosition(first, paginate, collected, page);
}

function withPosition(first: ApiRequest, paginate: Paginate, collected: number, position: string | number | undefined): ApiRequest {
  const query = { ...first.query };
  if (paginate.type === 'cursor' && position !== undefined) query[paginate.cursor_param] = position;
  if (paginate.type === 'offset') {
    // Advance by what arrived, not by `limit`: servers that cap the page size lose nothing.
    query[paginate.offset_param] = paginate.start + collected;
    query[paginate.limit_param] = paginate.limit;
  }
  if (paginate.type === 'page') query[paginate.page_param] = paginate.start + (typeof position === 'number' ? position : 0);
  return { ...first, query };
}

function pageItems(body: unknown, itemsPath: string | undefined, label: string): unknown[] {
  let value = body;
  if (itemsPath !== undefined) {
    const path = parsePath(itemsPath);
    if (!path) throw new ConnectorError('PIPELINE', `paginate.items_path "${itemsPath}" is not a path; write e.g. "data.items"`);
    const lookup = getPath(body, path, 'the response body');
    if (!lookup.found) throw new ConnectorError('STEP', `${label}: items_path "${itemsPath}" not found: ${lookup.problem}`);
    value = lookup.value;
  }
  if (value === null) return [];
  if (!Array.isArray(value)) {
    const where = itemsPath === undefined ? 'the response body (set paginate.items_path to the list inside it)' : `items_path "${itemsPath}"`;
    throw new ConnectorError('STEP', `${label}: ${where} is not a list`);
  }
  return value;
}
