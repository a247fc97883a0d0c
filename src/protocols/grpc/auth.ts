import type { ChainLayer } from '../../core/chain.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { CallContext, Next } from '../../core/middleware.js';
import type { AuthCredentials, AuthStrategy } from '../../auth/strategy.js';
import { Code } from './status-codes.js';
import type { GrpcCall, GrpcMetadataInit, GrpcResult } from './types.js';

/**
 * Applies any auth strategy to gRPC calls as call metadata (`authorization: Bearer
 * ...`, `x-api-key: ...`), in the chain's `auth` slot, so a retry uses a renewed
 * credential. When the server answers `UNAUTHENTICATED` and `renew` is set, a
 * strategy that can renew its credential does so once and the call is sent once more
 * (a client stream fed from an async iterable, being consumed, is not). The strategy
 * is opened and closed by the transport, which needs it at connect for reflection.
 *
 * @example
 * ```ts
 * import { grpcAuthLayer, type AuthStrategy } from 'ia-connectors';
 * const team: AuthStrategy = { type: 'custom', open: async () => {}, credentials: () => ({ headers: { 'x-team': 'data' } }) };
 * const layer = grpcAuthLayer(team, false);
 * ```
 */
export function grpcAuthLayer(strategy: AuthStrategy, renew: boolean): ChainLayer<GrpcCall, GrpcResult> {
  const refresh = renew ? strategy.refresh?.bind(strategy) : undefined;
  const middleware = async (ctx: CallContext<GrpcCall>, next: Next<GrpcCall, GrpcResult>): Promise<GrpcResult> => {
    const pending = strategy.credentials(ctx.signal);
    const creds = pending instanceof Promise ? await pending : pending;
    try {
      return await next({ ...ctx, request: withCredentials(ctx.request, creds, strategy.type) });
    } catch (error) {
      const rejected = isConnectorError(error) && error.code === 'GRPC' && error.grpcCode === Code.UNAUTHENTICATED;
      if (!refresh || !rejected || (ctx.request.kind === 'clientStream' && !Array.isArray(ctx.request.messages))) throw error;
      const renewed = await refresh(creds, ctx.signal);
      if (sameHeaders(renewed.headers, creds.headers)) throw error;
      return next({ ...ctx, request: withCredentials(ctx.request, renewed, strategy.type) });
    }
  };
  return { name: 'auth', middleware };
}

/**
 * A copy of `call` whose metadata carries `creds.headers` (replacing keys of the same
 * name). Query parameters have no place in gRPC: a strategy that produces them is an
 * `AUTH` error.
 *
 * @example
 * ```ts
 * import { withCredentials } from './auth.js';
 * withCredentials({ kind: 'unary', method: 'Get' }, { headers: { authorization: 'Bearer t0k3n' } }, 'bearer').metadata;
 * ```
 */
export function withCredentials(call: GrpcCall, creds: AuthCredentials, type: string): GrpcCall {
  if (creds.query && Object.keys(creds.query).length > 0) {
    throw new ConnectorError('AUTH', `the ${type} auth strategy produced query parameters, which gRPC cannot carry; send the credential as metadata (a header)`);
  }
  const headers = creds.headers;
  const keys = Object.keys(headers);
  if (keys.length === 0) return call;
  const metadata: Record<string, GrpcMetadataInit[string]> = { ...call.metadata };
  for (const key of keys) metadata[key.toLowerCase()] = headers[key] as string;
  return { ...call, metadata };
}

function sameHeaders(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return a === b || (keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]));
}
