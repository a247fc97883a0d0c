import type { ApiRequest } from '../core/types.js';
import type { ConnectorLookup, RestCaller } from '../pipeline/connectors.js';

const NOT_IDEMPOTENT = new Set(['POST', 'PATCH']);

/**
 * Wraps a connector lookup so that every POST or PATCH sent through a REST connector
 * it hands out carries `Idempotency-Key: <key>` unless the request sets one: the key
 * names the work (run, step, item), so a retried job sends the same key and the
 * server can drop the repeat. A second such call made by the same work gets
 * `<key>.2`, then `<key>.3`, in call order. Other protocols are handed out unchanged.
 *
 * @example
 * ```ts
 * import { withIdempotencyKeys } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const keyed = withIdempotencyKeys(registry, 'run-1.orders.7');
 * ```
 */
export function withIdempotencyKeys(lookup: ConnectorLookup, key: string): ConnectorLookup {
  let calls = 0;
  const keyed = (request: ApiRequest): ApiRequest => {
    if (typeof request !== 'object' || request === null || !NOT_IDEMPOTENT.has(String(request.method).toUpperCase()) || hasKey(request.headers)) return request;
    calls += 1;
    return { ...request, headers: { ...request.headers, 'Idempotency-Key': calls === 1 ? key : `${key}.${calls}` } };
  };
  return {
    get: async (name) => {
      const connector = await lookup.get(name);
      return isRest(connector) ? withKeyedExecute(connector, keyed) : connector;
    },
  };
}

function withKeyedExecute(connector: RestCaller, keyed: (request: ApiRequest) => ApiRequest): RestCaller {
  // A proxy keeps what the step reads from the connector (its config, events) intact;
  // methods run on the connector itself so that its private state stays reachable.
  return new Proxy(connector, {
    get(target, property) {
      if (property === 'execute') return (request: ApiRequest, options?: { signal?: AbortSignal }) => target.execute(keyed(request), options);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function isRest(connector: unknown): connector is RestCaller {
  const protocol = (connector as { config?: { protocol?: unknown } } | undefined)?.config?.protocol;
  return protocol === undefined || protocol === 'rest';
}

function hasKey(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
}
