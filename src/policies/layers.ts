import type { ChainLayer } from '../core/chain.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import type { TypedEvents } from '../core/events.js';
import type { Classifier } from '../core/outcome.js';
import type { CircuitBreakerConfig } from './breaker-schema.js';
import type { BulkheadConfig } from './bulkhead-schema.js';
import { Bulkhead } from './bulkhead.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { policyLayer } from './policy-layer.js';
import type { RateLimitConfig, RateLimitKey } from './rate-limit-schema.js';
import { RateLimiter } from './rate-limiter.js';
import type { RetryConfig } from './retry-schema.js';
import { RetryPolicy } from './retry.js';
import type { TimeoutConfig } from './schema.js';
import { attemptTimeoutLayer, totalTimeoutLayer } from './timeout.js';

/**
 * The policy settings a connector config carries, parsed.
 *
 * @example
 * ```ts
 * import { retryConfigSchema, type PolicyConfig } from 'ia-connectors';
 * const p: PolicyConfig = { timeout: { connect: 1000, headers: 1000, bodyIdle: 1000, total: 5000 }, retry: retryConfigSchema.parse({ maxAttempts: 1 }) };
 * ```
 */
export interface PolicyConfig {
  timeout: TimeoutConfig;
  retry: RetryConfig;
  circuitBreaker?: CircuitBreakerConfig | undefined;
  rateLimit?: RateLimitConfig | undefined;
  bulkhead?: BulkheadConfig | undefined;
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
 * Builds the policy layers a connector's config asks for, each policy created
 * once per connector; `orderLayers` puts them in chain order (total timeout,
 * retry, circuit breaker, rate limiter, bulkhead, attempt timeout). Retry with
 * `maxAttempts: 1` adds no layer at all.
 *
 * @example
 * ```ts
 * import { policyLayers, retryConfigSchema, type PolicyContext } from 'ia-connectors';
 * declare const context: PolicyContext<unknown, unknown>;
 * const layers = policyLayers({ timeout: { connect: 1000, headers: 1000, bodyIdle: 1000, total: 5000 }, retry: retryConfigSchema.parse({}) }, context);
 * ```
 */
export function policyLayers<Req, Res>(config: PolicyConfig, context: PolicyContext<Req, Res>): ChainLayer<Req, Res>[] {
  const host = { name: context.connector, events: context.events };
  const { classify } = context;
  const layers: ChainLayer<Req, Res>[] = [totalTimeoutLayer(config.timeout.total === false ? undefined : config.timeout.total)];
  if (config.retry.maxAttempts > 1) {
    layers.push(policyLayer('retry', new RetryPolicy(config.retry, host), { classify }));
  }
  if (config.circuitBreaker) {
    layers.push(policyLayer('circuitBreaker', new CircuitBreaker(config.circuitBreaker, host), { classify }));
  }
  if (config.rateLimit) {
    const limiter = new RateLimiter(config.rateLimit, host);
    layers.push(policyLayer('rateLimit', limiter, { classify: config.rateLimit.adaptive ? classify : undefined, key: rateLimitKey<Req>(config.rateLimit.key) }));
  }
  if (config.bulkhead) layers.push(policyLayer('bulkhead', new Bulkhead(config.bulkhead, host)));
  if (config.timeout.attempt !== undefined) layers.push(attemptTimeoutLayer(config.timeout.attempt));
  return layers;
}

/**
 * The per-request bucket key of a rate-limit config: none (one bucket per
 * connector), the request's `endpoint` template, or the user's function.
 *
 * @example
 * ```ts
 * import { rateLimitKey, type ApiRequest } from 'ia-connectors';
 * rateLimitKey<ApiRequest>('endpoint')?.({ method: 'GET', endpoint: '/users/{id}' }); // '/users/{id}'
 * ```
 */
export function rateLimitKey<Req>(key: RateLimitConfig['key']): ((request: Req) => string | undefined) | undefined {
  if (key === undefined) return undefined;
  if (key === 'endpoint') return endpointOf;
  return key as RateLimitKey<Req>;
}

function endpointOf(request: unknown): string | undefined {
  const endpoint = typeof request === 'object' && request !== null ? (request as { endpoint?: unknown }).endpoint : undefined;
  return typeof endpoint === 'string' ? endpoint : undefined;
}
