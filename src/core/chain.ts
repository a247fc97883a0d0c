import { ConnectorError } from './errors.js';
import type { Middleware } from './middleware.js';

/**
 * The fixed order of the policy chain, outermost first. Each attempt passes the
 * breaker, limiter and bulkhead, so a retry costs a token and records its own
 * outcome; auth sits inside retry so a refreshed credential is used next attempt.
 * `idempotency` sits outside retry so every attempt of a call carries the same key.
 * `observe` wraps the whole call (its waits and retries included) and
 * `observeAttempt` each attempt that was admitted; `cassette` is innermost so it
 * records or replays exactly what goes on the wire.
 *
 * @example
 * ```ts
 * import { LAYER_ORDER } from 'ia-connectors';
 * LAYER_ORDER.indexOf('retry') < LAYER_ORDER.indexOf('auth'); // true
 * ```
 */
export const LAYER_ORDER = [
  'observe',
  'totalTimeout',
  'idempotency',
  'retry',
  'circuitBreaker',
  'rateLimit',
  'bulkhead',
  'observeAttempt',
  'custom',
  'auth',
  'attemptTimeout',
  'cassette',
] as const;

/**
 * Name of a slot in {@link LAYER_ORDER}.
 *
 * @example
 * ```ts
 * import type { LayerName } from 'ia-connectors';
 * const n: LayerName = 'circuitBreaker';
 * ```
 */
export type LayerName = (typeof LAYER_ORDER)[number];

const REPEATABLE: ReadonlySet<LayerName> = new Set(['custom', 'observe', 'observeAttempt']);

/**
 * A middleware with its slot in the chain and optional setup done once at connect
 * (resolving secrets, importing keys) and teardown at disconnect.
 *
 * @example
 * ```ts
 * import type { ChainLayer, ApiRequest, ApiResponse } from 'ia-connectors';
 * const tracing: ChainLayer<ApiRequest, ApiResponse> = { name: 'custom', middleware: (ctx, next) => next() };
 * ```
 */
export interface ChainLayer<Req, Res> {
  readonly name: LayerName;
  readonly middleware: Middleware<Req, Res>;
  open?(): Promise<void>;
  close?(): Promise<void>;
  /**
   * Asked after `open()`, when the chain is composed: `false` leaves the layer out,
   * for a layer that found at connect it has nothing to do per call.
   */
  active?(): boolean;
}

/**
 * Sorts layers into {@link LAYER_ORDER}. Several `custom`, `observe` or
 * `observeAttempt` layers (one per observer) keep their given order; any other slot
 * may be filled once.
 *
 * @example
 * ```ts
 * import { orderLayers } from 'ia-connectors';
 * const chain = orderLayers([]);
 * ```
 */
export function orderLayers<Req, Res>(layers: readonly ChainLayer<Req, Res>[]): ChainLayer<Req, Res>[] {
  const seen = new Set<LayerName>();
  for (const layer of layers) {
    if (!REPEATABLE.has(layer.name) && seen.has(layer.name)) {
      throw new ConnectorError('CONFIG', `the chain has two "${layer.name}" layers; configure each policy once`);
    }
    seen.add(layer.name);
  }
  const rank = (layer: ChainLayer<Req, Res>): number => LAYER_ORDER.indexOf(layer.name);
  return layers
    .map((layer, index) => ({ layer, index }))
    .sort((a, b) => rank(a.layer) - rank(b.layer) || a.index - b.index)
    .map(({ layer }) => layer);
}
