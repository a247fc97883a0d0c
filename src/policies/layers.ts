import type { ChainLayer } from '../core/chain.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import type { TypedEvents } from '../core/events.js';
import type { Classifier } from '../core/outcome.js';
import type { TimeoutConfig } from './schema.js';
import { attemptTimeoutLayer, totalTimeoutLayer } from './timeout.js';

/**
 * The policy settings a connector config carries, parsed.
 *
 * @example
 * ```ts
 * import type { PolicyConfig } from 'ia-connectors';
 * const p: PolicyConfig = { timeout: { connect: 1000, headers: 1000, bodyIdle: 1000, total: 5000 } };
 * ```
 */
export interface PolicyConfig {
  timeout: TimeoutConfig;
}

/**
 * What policy layers need from their connector: its name, its events and its
 * transport's judgement of outcomes.
 *
 * @example
 * ```ts
 * import { TypedEvents, type PolicyContext } from 'ia-connectors';
 * const ctx: PolicyContext<unknown, unknown> = { connector: 'a', events: new TypedEvents(), classify: () => ({ retryable: false, failure: false, reason: 'ok' }) };
 * ```
 */
export interface PolicyContext<Req, Res> {
  connector: string;
  events: TypedEvents<ConnectorEvents>;
  classify: Classifier<Req, Res>;
}

/**
 * Builds the policy layers (timeouts, retry, breaker, limiter, bulkhead) a connector's
 * config asks for; `orderLayers` puts them in chain order.
 *
 * @example
 * ```ts
 * import { policyLayers, type PolicyContext } from 'ia-connectors';
 * declare const context: PolicyContext<unknown, unknown>;
 * const layers = policyLayers({ timeout: { connect: 1000, headers: 1000, bodyIdle: 1000, total: 5000 } }, context);
 * ```
 */
export function policyLayers<Req, Res>(config: PolicyConfig, _context: PolicyContext<Req, Res>): ChainLayer<Req, Res>[] {
  const layers: ChainLayer<Req, Res>[] = [totalTimeoutLayer(config.timeout.total)];
  if (config.timeout.attempt !== undefined) layers.push(attemptTimeoutLayer(config.timeout.attempt));
  return layers;
}
