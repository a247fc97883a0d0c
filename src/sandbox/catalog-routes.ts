import { REGIONS, regionCatalog, type SandboxRegion } from './data.js';
import { errorReply, type SandboxHandler, type SandboxReply, type SandboxRequest, type SandboxRoute } from './http-types.js';
import { intParam, isReply } from './pagination.js';

/**
 * The catalog and pricing APIs the shared fan-in example calls: `GET /regions`,
 * `GET /regions/:region`, `GET /regions/:region/products?limit=`,
 * `GET /regions/:region/stock`, `POST /reports`, and `GET /prices/:region` behind
 * `priceGuard` (the sandbox puts the API-key check there).
 *
 * @example
 * ```ts
 * import { catalogRoutes } from './catalog-routes.js';
 * const routes = catalogRoutes((handler) => handler);
 * ```
 */
export function catalogRoutes(priceGuard: (handler: SandboxHandler) => SandboxHandler): SandboxRoute[] {
  let reports = 0;
  const inRegion =
    (answer: (region: SandboxRegion, request: SandboxRequest) => SandboxReply): SandboxHandler =>
    (request) => {
      const code = request.params['region'] ?? '';
      const region = REGIONS.find((r) => r.code === code);
      if (!region) return errorReply(404, 'not_found', `no region "${code}"; regions are ${REGIONS.map((r) => r.code).join(', ')}`);
      return answer(region, request);
    };

  const products = inRegion((region, request) => {
    const limit = intParam(request.query, 'limit', 20, 1, 100);
    if (isReply(limit)) return limit;
    return { status: 200, body: regionCatalog(region).products.slice(0, limit) };
  });

  const report = (request: SandboxRequest): SandboxReply => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return errorReply(400, 'invalid_body', 'send a JSON object such as { "products": [...], "stock": [...], "prices": [...] }');
    }
    reports += 1;
    const counts = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, Array.isArray(value) ? value.length : value === null ? 0 : 1]));
    return { status: 201, body: { id: `rpt_${reports}`, counts, created_at: new Date().toISOString() } };
  };

  return [
    { method: 'GET', path: '/regions', handler: () => ({ status: 200, body: REGIONS }) },
    { method: 'GET', path: '/regions/:region', handler: inRegion((region) => ({ status: 200, body: region })) },
    { method: 'GET', path: '/regions/:region/products', handler: products },
    { method: 'GET', path: '/regions/:region/stock', handler: inRegion((region) => ({ status: 200, body: regionCatalog(region).stock })) },
    { method: 'POST', path: '/reports', handler: report },
    { method: 'GET', path: '/prices/:region', handler: priceGuard(inRegion((region) => ({ status: 200, body: regionCatalog(region).prices }))) },
  ];
}
