import type { ChainLayer } from '../../core/chain.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { CallContext, Next } from '../../core/middleware.js';
import type { Redactor } from '../../observability/redact.js';
import type { AuthCredentials, AuthStrategy } from '../../auth/strategy.js';
import type { WebSocketChannel } from './channel.js';
import type { WebSocketOpenRequest } from './types.js';

/**
 * Where a WebSocket connector puts credentials: handshake `headers` (and any query
 * parameter the strategy asks for), one `query` parameter carrying the token, or
 * a first `message` carrying it.
 *
 * @example
 * ```ts
 * import type { SocketAuthPlacement } from 'ia-connectors';
 * const p: SocketAuthPlacement = { authIn: 'query', authQueryParam: 'token' };
 * ```
 */
export interface SocketAuthPlacement {
  authIn: 'headers' | 'query' | 'message';
  authQueryParam?: string | undefined;
  authMessage?: Readonly<Record<string, unknown>> | undefined;
  authMessageField?: string | undefined;
}

/**
 * Applies any auth strategy to opening a socket. After a handshake refused with a
 * status in `retryOn` (401 by default for bearer and OAuth 2.0), a strategy that
 * can renew its credential renews it once and the socket is opened once more.
 *
 * @example
 * ```ts
 * import { websocketAuthLayer, Redactor, type AuthStrategy } from 'ia-connectors';
 * const team: AuthStrategy = { type: 'custom', open: async () => {}, credentials: () => ({ headers: { 'x-team': 'data' } }) };
 * const layer = websocketAuthLayer(team, { authIn: 'headers' }, new Redactor(), [401]);
 * ```
 */
export function websocketAuthLayer(
  strategy: AuthStrategy,
  placement: SocketAuthPlacement,
  redactor: Redactor,
  retryOn: readonly number[],
): ChainLayer<WebSocketOpenRequest, WebSocketChannel> {
  const statuses = new Set(retryOn);
  const refresh = statuses.size > 0 ? strategy.refresh?.bind(strategy) : undefined;
  const apply = (request: WebSocketOpenRequest, creds: AuthCredentials): WebSocketOpenRequest =>
    applySocketCredentials(request, creds, placement, strategy.type);
  const middleware = async (ctx: CallContext<WebSocketOpenRequest>, next: Next<WebSocketOpenRequest, WebSocketChannel>): Promise<WebSocketChannel> => {
    const pending = strategy.credentials(ctx.signal);
    const creds = pending instanceof Promise ? await pending : pending;
    try {
      return await next({ ...ctx, request: apply(ctx.request, creds) });
    } catch (error) {
      if (!refresh || !isConnectorError(error) || error.code !== 'AUTH' || !statuses.has(error.status ?? 0)) throw error;
      const renewed = await refresh(creds, ctx.signal);
      if (sameCredentials(renewed, creds)) throw error;
      return next({ ...ctx, request: apply(ctx.request, renewed) });
    }
  };
  return {
    name: 'auth',
    middleware,
    open: async () => {
      await strategy.open();
      if (placement.authIn === 'query') redactor.add({ queryParams: [placement.authQueryParam ?? 'access_token'] });
    },
    close: async () => {
      await strategy.close?.();
    },
  };
}

/**
 * A copy of an open request carrying `creds` where `placement` says.
 *
 * @example
 * ```ts
 * import { applySocketCredentials } from 'ia-connectors';
 * const open = { url: 'ws://127.0.0.1:8080/ws', headers: {}, protocols: [], reconnect: 0 };
 * applySocketCredentials(open, { headers: { authorization: 'Bearer t0k3n' } }, { authIn: 'query' }, 'bearer').query; // { access_token: 't0k3n' }
 * ```
 */
export function applySocketCredentials(
  request: WebSocketOpenRequest,
  creds: AuthCredentials,
  placement: SocketAuthPlacement,
  strategy: string,
): WebSocketOpenRequest {
  switch (placement.authIn) {
    case 'headers':
      return { ...request, headers: { ...request.headers, ...creds.headers }, ...(creds.query ? { query: { ...request.query, ...creds.query } } : {}) };
    case 'query':
      return { ...request, query: { ...request.query, [placement.authQueryParam ?? 'access_token']: tokenOf(creds, 'query', strategy) } };
    case 'message': {
      const message = { ...(placement.authMessage ?? { type: 'auth' }), [placement.authMessageField ?? 'token']: tokenOf(creds, 'message', strategy) };
      return { ...request, firstMessages: [JSON.stringify(message), ...(request.firstMessages ?? [])] };
    }
  }
}

/** The one token a strategy produced: a bearer token without its scheme, or the single header or query value. */
function tokenOf(creds: AuthCredentials, mode: string, strategy: string): string {
  const values = [...Object.entries(creds.headers), ...Object.entries(creds.query ?? {})];
  const only = values[0];
  if (values.length !== 1 || only === undefined) {
    const names = values.map(([name]) => name).join(', ') || 'none';
    throw new ConnectorError(
      'CONFIG',
      `authIn "${mode}" carries one token, but auth type "${strategy}" produced ${values.length} credential values (${names}); use authIn: "headers"`,
    );
  }
  const [name, value] = only;
  if (name !== 'authorization') return value;
  const scheme = /^(?:bearer|token)\s+(.+)$/i.exec(value);
  return scheme?.[1] ?? value;
}

function sameCredentials(a: AuthCredentials, b: AuthCredentials): boolean {
  const flat = (c: AuthCredentials): string => JSON.stringify([Object.entries(c.headers).sort(), Object.entries(c.query ?? {}).sort()]);
  return a === b || flat(a) === flat(b);
}
