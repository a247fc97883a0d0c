import type { SandboxHandler, SandboxRoute } from './http-types.js';

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: SandboxHandler;
}

/**
 * What {@link matchRoute} found: the handler and decoded path parameters, or why
 * nothing matched (`405` when the path exists under another method).
 *
 * @example
 * ```ts
 * import type { RouteMatch } from './router.js';
 * const miss: RouteMatch = { found: false, status: 404 };
 * ```
 */
export type RouteMatch =
  | { found: true; handler: SandboxHandler; params: Record<string, string> }
  | { found: false; status: 404 | 405; allowed?: string[] };

/**
 * A compiled route table; match with {@link matchRoute}.
 *
 * @example
 * ```ts
 * import { compileRoutes, matchRoute } from './router.js';
 * const table = compileRoutes([{ method: 'GET', path: '/users/:id', handler: () => ({ status: 200 }) }]);
 * matchRoute(table, 'GET', '/users/7');
 * ```
 */
export type RouteTable = readonly CompiledRoute[];

/**
 * Compiles `:name` patterns once, at service start.
 *
 * @example
 * ```ts
 * import { compileRoutes } from './router.js';
 * compileRoutes([{ method: 'GET', path: '/regions/:region/stock', handler: () => ({ status: 200 }) }]);
 * ```
 */
export function compileRoutes(routes: readonly SandboxRoute[]): RouteTable {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { method: route.method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler: route.handler };
  });
}

/**
 * Finds the route for a method and pathname; parameters are URL-decoded, and a
 * malformed escape makes the route not match rather than throw.
 *
 * @example
 * ```ts
 * import { compileRoutes, matchRoute } from './router.js';
 * const table = compileRoutes([{ method: 'GET', path: '/users/:id', handler: () => ({ status: 200 }) }]);
 * matchRoute(table, 'DELETE', '/users/7'); // { found: false, status: 405, allowed: ['GET'] }
 * ```
 */
export function matchRoute(table: RouteTable, method: string, pathname: string): RouteMatch {
  const wanted = method.toUpperCase();
  const allowed: string[] = [];
  for (const route of table) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    const params = decodeParams(route.names, found.slice(1));
    if (!params) continue;
    if (route.method === wanted || (wanted === 'HEAD' && route.method === 'GET')) return { found: true, handler: route.handler, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { found: false, status: 405, allowed } : { found: false, status: 404 };
}

function decodeParams(names: readonly string[], values: readonly (string | undefined)[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    names.forEach((name, i) => {
      params[name] = decodeURIComponent(values[i] ?? '');
    });
  } catch {
    return undefined;
  }
  return params;
}
