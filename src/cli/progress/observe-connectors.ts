import type { ConnectorEvents } from '../../core/connector-events.js';
import type { Disposable } from '../../core/events.js';
import type { ConnectorLookup, RestCaller } from '../../pipeline/connectors.js';
import type { ConnectorActivity } from './run-stats.js';

type Listenable = { on<K extends keyof ConnectorEvents>(event: K, listener: (payload: ConnectorEvents[K]) => void): Disposable };

const KINDS = ['retry', 'rateLimited', 'circuitStateChange', 'authRefresh'] as const;

/**
 * Wraps a connector lookup so that every connector it hands out reports its retries,
 * rate-limit waits, breaker changes and credential refreshes to `listener`, once per
 * connector however often it is looked up. `dispose()` unsubscribes all.
 *
 * @example
 * ```ts
 * import { observeConnectors } from './observe-connectors.js';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const observed = observeConnectors(registry, (a) => console.error(a.kind, a.payload.connector));
 * ```
 */
export function observeConnectors(lookup: ConnectorLookup, listener: (activity: ConnectorActivity) => void): ConnectorLookup & Disposable {
  const watched = new Map<object, Disposable[]>();
  const watch = (connector: RestCaller): void => {
    if (watched.has(connector) || !isListenable(connector)) return;
    watched.set(
      connector,
      KINDS.map((kind) => connector.on(kind, (payload: ConnectorEvents[typeof kind]) => listener({ kind, payload } as ConnectorActivity))),
    );
  };
  const dispose = (): void => {
    for (const subs of watched.values()) for (const sub of subs) sub.dispose();
    watched.clear();
  };
  return {
    get: async (name) => {
      const connector = await lookup.get(name);
      watch(connector);
      return connector;
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}

function isListenable(value: unknown): value is Listenable {
  return typeof (value as { on?: unknown }).on === 'function';
}
