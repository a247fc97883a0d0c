import type { ChainLayer } from '../core/chain.js';
import type { CallContext, Next } from '../core/middleware.js';
import type { ApiRequest, ApiResponse } from '../core/types.js';
import { createAuthStrategy, unauthorizedStatuses } from './create-strategy.js';
import type { AuthConfig } from './schema.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from './strategy.js';

export type { AuthLayerContext } from './strategy.js';

/**
 * The REST auth layer for a config, or `undefined` for `type: none`. Secrets are
 * resolved and keys imported when the connector connects, not here.
 *
 * @example
 * ```ts
 * import { authLayer, Redactor, TypedEvents } from 'ia-connectors';
 * const layer = authLayer({ type: 'bearer', token: '${env:USERS_TOKEN}' }, { connector: 'users', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function authLayer(config: AuthConfig, context: AuthLayerContext): ChainLayer<ApiRequest, ApiResponse> | undefined {
  const strategy = createAuthStrategy(config, context);
  return strategy && restAuthLayer(strategy, unauthorizedStatuses(config), context.useFixedHeaders);
}

/**
 * Applies any {@link AuthStrategy} to REST requests. When the response status is in
 * `retryOn` (401 by default) and the strategy can renew its credential, it renews it
 * once and sends the request once more with a new context; a second rejection is
 * returned as is. Requests with a streamed body are not repeated (it is consumed).
 *
 * @example
 * ```ts
 * import { restAuthLayer, type AuthStrategy } from 'ia-connectors';
 * const team: AuthStrategy = { type: 'custom', open: async () => {}, credentials: () => ({ headers: { 'x-team': 'data' } }) };
 * const layer = restAuthLayer(team, []);
 * ```
 */
export function restAuthLayer(
  strategy: AuthStrategy,
  retryOn: readonly number[],
  useFixedHeaders?: AuthLayerContext['useFixedHeaders'],
): ChainLayer<ApiRequest, ApiResponse> {
  const statuses = new Set(retryOn);
  const refresh = statuses.size > 0 ? strategy.refresh?.bind(strategy) : undefined;
  // Fixed header credentials handed to the transport at connect cost nothing per call.
  let handedOver = false;
  const middleware = async (ctx: CallContext<ApiRequest>, next: Next<ApiRequest, ApiResponse>): Promise<ApiResponse> => {
    const pending = strategy.credentials(ctx.signal);
    const creds = pending instanceof Promise ? await pending : pending;
    const response = await next({ ...ctx, request: applyCredentials(ctx.request, creds) });
    if (!refresh || !statuses.has(response.status) || !isReplayable(ctx.request)) return response;
    const renewed = await refresh(creds, ctx.signal);
    if (sameCredentials(renewed, creds)) return response;
    return next({ ...ctx, request: applyCredentials(ctx.request, renewed) });
  };
  return {
    name: 'auth',
    middleware,
    open: async () => {
      await strategy.open();
      handedOver = false;
      if (!strategy.fixed || refresh || !useFixedHeaders) return;
      const creds = await strategy.credentials();
      if (!creds.query || Object.keys(creds.query).length === 0) handedOver = useFixedHeaders(creds.headers);
    },
    active: () => !handedOver,
    close: async () => {
      await strategy.close?.();
    },
  };
}

/**
 * A copy of `request` carrying `creds`: its headers replace any of the same name
 * (case-insensitively) and its query parameters any of the same name.
 *
 * @example
 * ```ts
 * import { applyCredentials } from 'ia-connectors';
 * applyCredentials({ method: 'GET', endpoint: '/x', headers: { Authorization: 'old' } }, { headers: { authorization: 'Bearer new' } });
 * // headers: { authorization: 'Bearer new' }
 * ```
 */
export function applyCredentials(request: ApiRequest, creds: AuthCredentials): ApiRequest {
  const own = request.headers;
  let headers = creds.headers as Record<string, string>;
  if (own) {
    headers = {};
    for (const name of Object.keys(own)) if (!Object.hasOwn(creds.headers, name.toLowerCase())) headers[name] = own[name] as string;
    Object.assign(headers, creds.headers);
  }
  return creds.query ? { ...request, headers, query: { ...request.query, ...creds.query } } : { ...request, headers };
}

function isReplayable(request: ApiRequest): boolean {
  const body = request.body;
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

function sameCredentials(a: AuthCredentials, b: AuthCredentials): boolean {
  return a === b || (sameRecord(a.headers, b.headers) && sameRecord(a.query ?? {}, b.query ?? {}));
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
