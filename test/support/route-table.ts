interface Route<T> {
  method: string;
  path: string;
  prefix: boolean;
  handlers: T[];
  hits: number;
}

/** Routes a scripted server knows, and how many times each has answered. */
export interface RouteTable<T> {
  /**
   * Adds a route: `method` case-insensitive or `'*'` for any; `path` an exact
   * pathname, or a prefix when it ends with `*`; several handlers form a
   * sequence whose last one repeats.
   */
  add(method: string, path: string, handlers: T[]): void;
  /** The handler for this request, advancing its route's sequence; the most recently added match wins. */
  next(method: string, url: string): T | undefined;
  /** Forgets every route. */
  clear(): void;
}

/** Creates an empty {@link RouteTable}. */
export function createRouteTable<T>(): RouteTable<T> {
  const routes: Route<T>[] = [];
  return {
    add(method, path, handlers) {
      if (handlers.length === 0) throw new Error(`route ${method} ${path}: no behaviour given`);
      const prefix = path.endsWith('*');
      routes.push({ method: method.toUpperCase(), path: prefix ? path.slice(0, -1) : path, prefix, handlers: [...handlers], hits: 0 });
    },
    next(method, url) {
      const pathname = pathnameOf(url);
      // Searched newest first so a test can override a route set in beforeEach.
      const route = routes.findLast(
        (r) =>
          (r.method === '*' || r.method === method.toUpperCase()) &&
          (r.prefix ? pathname.startsWith(r.path) : pathname === r.path),
      );
      if (!route) return undefined;
      const handler = route.handlers[Math.min(route.hits, route.handlers.length - 1)];
      route.hits += 1;
      return handler;
    },
    clear() {
      routes.length = 0;
    },
  };
}

// Split by hand: `new URL('//x', base)` would read `//x` as a host, not a path.
function pathnameOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
