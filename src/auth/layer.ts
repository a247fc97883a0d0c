import type { ChainLayer } from '../core/chain.js';
import type { ApiRequest, ApiResponse } from '../core/types.js';
import type { Redactor } from '../observability/redact.js';
import type { ConnectorEvents } from '../core/connector-events.js';
import type { TypedEvents } from '../core/events.js';
import type { AuthConfig } from './schema.js';

/**
 * What an auth layer needs from its connector.
 *
 * @example
 * ```ts
 * import type { AuthLayerContext } from 'ia-connectors';
 * declare const ctx: AuthLayerContext;
 * ctx.redactor.add({ headers: ['x-api-key'] });
 * ```
 */
export interface AuthLayerContext {
  connector: string;
  redactor: Redactor;
  events: TypedEvents<ConnectorEvents>;
}

/**
 * The auth layer for a config, or none for `type: none`.
 *
 * @example
 * ```ts
 * import { authLayer, Redactor, TypedEvents } from 'ia-connectors';
 * authLayer({ type: 'none' }, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() }); // undefined
 * ```
 */
export function authLayer(config: AuthConfig, _context: AuthLayerContext): ChainLayer<ApiRequest, ApiResponse> | undefined {
  if (config.type === 'none') return undefined;
  return undefined;
}
