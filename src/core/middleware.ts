import type { CallSignal } from './call-signal.js';
import type { CallEvents } from './observer.js';

/**
 * What every middleware and transport sees for one call. A retry passes a fresh
 * context per attempt (`{ ...ctx, attempt: ctx.attempt + 1 }`); everything else
 * passes the context it received, or a copy with a changed `request`.
 *
 * @example
 * ```ts
 * import type { CallContext, ApiRequest } from 'ia-connectors';
 * const log = (ctx: CallContext<ApiRequest>) => console.log(ctx.connector, ctx.attempt, ctx.request.endpoint);
 * ```
 */
export interface CallContext<Req> {
  /** Name of the connector making the call. */
  readonly connector: string;
  /** The protocol request; middleware that changes it passes a copy downstream. */
  readonly request: Req;
  /** Aborts the call: the caller's signal combined with any timeout (see {@link CallSignal}). */
  readonly signal: CallSignal | undefined;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** `performance.now()` value by which the whole call must end, if any. */
  readonly deadline: number | undefined;
  /** `performance.now()` value when the call started. */
  readonly startedAt: number;
  /** Set by an observer layer: where policies report retries, waits and refusals of this call. */
  readonly observation?: CallEvents | undefined;
}

/**
 * Continues the chain with `ctx` (or the current context when omitted). It may be called
 * once per context object: a second call with the same context throws, which catches
 * accidental double sends; a retry passes a new attempt context each time.
 *
 * @example
 * ```ts
 * import type { Next, ApiRequest } from 'ia-connectors';
 * declare const next: Next<ApiRequest, unknown>;
 * await next();
 * ```
 */
export type Next<Req, Res> = (ctx?: CallContext<Req>) => Promise<Res>;

/**
 * One layer of the onion: do something before and after `next`, or answer without it.
 *
 * @example
 * ```ts
 * import type { Middleware, ApiRequest, ApiResponse } from 'ia-connectors';
 * const timing: Middleware<ApiRequest, ApiResponse> = async (ctx, next) => {
 *   const t = performance.now();
 *   try { return await next(); } finally { console.log(ctx.request.endpoint, performance.now() - t); }
 * };
 * ```
 */
export type Middleware<Req, Res> = (ctx: CallContext<Req>, next: Next<Req, Res>) => Promise<Res>;

/**
 * The innermost handler: performs one attempt on the wire.
 *
 * @example
 * ```ts
 * import type { Handler, ApiRequest } from 'ia-connectors';
 * const echo: Handler<ApiRequest, string> = async (ctx) => ctx.request.endpoint;
 * ```
 */
export type Handler<Req, Res> = (ctx: CallContext<Req>) => Promise<Res>;
