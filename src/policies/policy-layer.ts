import type { ChainLayer, LayerName } from '../core/chain.js';
import type { CallContext, Next } from '../core/middleware.js';
import type { Classifier } from '../core/outcome.js';
import type { Policy } from './policy.js';

/**
 * How a policy layer reads each request: the transport's classifier (omit it when
 * the policy does not judge outcomes) and the rate-limit key.
 *
 * @example
 * ```ts
 * import { classifyRest, type PolicyLayerOptions, type ApiRequest, type ApiResponse } from 'ia-connectors';
 * const opts: PolicyLayerOptions<ApiRequest, ApiResponse> = { classify: classifyRest, key: (req) => req.endpoint };
 * ```
 */
export interface PolicyLayerOptions<Req, Res> {
  classify?: Classifier<Req, Res> | undefined;
  key?: ((request: Req) => string | undefined) | undefined;
}

/**
 * Adapts a {@link Policy} to a chain layer, once: each call runs the rest of the
 * chain through `policy.execute`. An attempt with a new number or signal gets a
 * fresh context (the chain refuses to reuse one); otherwise the context passes
 * through untouched.
 *
 * @example
 * ```ts
 * import { policyLayer, bulkheadPolicy, type ApiRequest, type ApiResponse } from 'ia-connectors';
 * const layer = policyLayer<ApiRequest, ApiResponse>('bulkhead', bulkheadPolicy({ maxConcurrent: 4 }));
 * ```
 */
export function policyLayer<Req, Res>(name: LayerName, policy: Policy, options: PolicyLayerOptions<Req, Res> = {}): ChainLayer<Req, Res> {
  const { classify, key } = options;
  return {
    name,
    middleware: (ctx: CallContext<Req>, next: Next<Req, Res>) =>
      policy.execute<Res>(
        (at) => next(at.attempt === ctx.attempt && at.signal === ctx.signal ? ctx : { ...ctx, attempt: at.attempt, signal: at.signal }),
        {
          signal: ctx.signal,
          attempt: ctx.attempt,
          deadline: ctx.deadline,
          classify: classify && ((outcome) => classify(ctx.request, outcome)),
          key: key?.(ctx.request),
          observation: ctx.observation,
        },
      ),
  };
}
