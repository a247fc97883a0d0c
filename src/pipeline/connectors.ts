import type { ApiRequest, ApiResponse } from '../core/types.js';

/**
 * The one thing a pipeline needs from a REST connector: send a request. Every REST
 * connector satisfies it; a test can satisfy it with a few lines.
 *
 * @example
 * ```ts
 * import type { RestCaller } from 'ia-connectors';
 * declare const caller: RestCaller;
 * const res = await caller.execute({ method: 'GET', endpoint: '/users/{id}', params: { id: 'ada' } });
 * ```
 */
export interface RestCaller {
  execute(request: ApiRequest, options?: { signal?: AbortSignal }): Promise<ApiResponse>;
}

/**
 * Finds connectors by name for the `api_call` step; the connector registry implements
 * it. An unknown name makes `get` throw an `UNKNOWN_CONNECTOR` ConnectorError.
 *
 * @example
 * ```ts
 * import type { ConnectorLookup, RestCaller } from 'ia-connectors';
 * declare const users: RestCaller;
 * const lookup: ConnectorLookup = { get: async (name) => users };
 * ```
 */
export interface ConnectorLookup {
  get(name: string): Promise<RestCaller>;
}
