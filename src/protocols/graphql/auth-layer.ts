import type { ChainLayer } from '../../core/chain.js';
import { isConnectorError } from '../../core/errors.js';
import type { Outcome } from '../../core/outcome.js';
import { settle } from '../../policies/policy.js';
import type { CallContext, Next } from '../../core/middleware.js';
import type { AuthCredentials, AuthStrategy } from '../../auth/strategy.js';
import type { GraphQLCall, GraphQLOutcome } from './call.js';
import { sameCredentials, type CredentialWatch } from './credential-watch.js';

/**
 * Applies an {@link AuthStrategy} to GraphQL calls: an operation's HTTP request and the
 * subscriptions WebSocket's handshake both carry the credentials. When the server
 * answers a status in `retryOn` (401 by default), or refused a socket's credentials
 * before, the strategy renews the credential once and the call goes again. Every
 * credential obtained is reported to `watch`, so subscriptions follow a rotation.
 *
 * @example
 * ```ts
 * import { graphqlAuthLayer, CredentialWatch, type AuthStrategy } from 'ia-connectors';
 * const team: AuthStrategy = { type: 'custom', open: async () => {}, credentials: () => ({ headers: { 'x-team': 'data' } }) };
 * const layer = graphqlAuthLayer(team, [401], new CredentialWatch());
 * ```
 */
export function graphqlAuthLayer(strategy: AuthStrategy, retryOn: readonly number[], watch: CredentialWatch): ChainLayer<GraphQLCall, GraphQLOutcome> {
  const statuses = new Set(retryOn);
  const refresh = strategy.refresh?.bind(strategy);
  const obtain = async (ctx: CallContext<GraphQLCall>): Promise<AuthCredentials> => {
    const call = ctx.request;
    const pending = call.kind === 'socket' && call.rejected && refresh ? refresh(call.rejected, ctx.signal) : strategy.credentials(ctx.signal);
    const creds = pending instanceof Promise ? await pending : pending;
    watch.observe(creds);
    return creds;
  };
  const middleware = async (ctx: CallContext<GraphQLCall>, next: Next<GraphQLCall, GraphQLOutcome>): Promise<GraphQLOutcome> => {
    const creds = await obtain(ctx);
    const send = (c: AuthCredentials): Promise<GraphQLOutcome> => next({ ...ctx, request: { ...ctx.request, credentials: c } });
    if (!refresh || statuses.size === 0) return send(creds);
    const first = await settle(() => send(creds));
    if (!rejectedBy(first, statuses)) return unwrap(first);
    const renewed = await refresh(creds, ctx.signal);
    watch.observe(renewed);
    // A strategy that hands back the same credential cannot fix the rejection: report it as it came.
    if (sameCredentials(renewed, creds)) return unwrap(first);
    return send(renewed);
  };
  return {
    name: 'auth',
    middleware,
    open: () => strategy.open(),
    close: async () => {
      await strategy.close?.();
    },
  };
}

function rejectedBy(outcome: Outcome<GraphQLOutcome>, statuses: ReadonlySet<number>): boolean {
  if (outcome.ok) return 'status' in outcome.value && statuses.has(outcome.value.status);
  const status = isConnectorError(outcome.error) ? outcome.error.details.status : undefined;
  return status !== undefined && statuses.has(status);
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
