import type { ChainLayer } from '../core/chain.js';
import type { Cassette } from '../observability/cassette/store.js';
import { cassetteLayerFor } from '../observability/cassette/layer.js';
import type { Observer } from '../observability/observer.js';
import type { Redactor } from '../observability/redact.js';

/**
 * What a registry adds to every connector it builds: observers of every call
 * (OpenTelemetry, logs, the run report) and a cassette that records or replays calls
 * of every protocol.
 *
 * @example
 * ```ts
 * import { jsonLogger, loggerObserver, type ConnectorExtras } from 'ia-connectors';
 * const extras: ConnectorExtras = { observers: [loggerObserver(jsonLogger({ level: 'debug' }))] };
 * ```
 */
export interface ConnectorExtras {
  readonly observers?: readonly Observer[] | undefined;
  readonly cassette?: Cassette | undefined;
}

/** The protocol connector's own extras: observers as given, the cassette as a chain layer. */
export interface ProtocolExtras<L> {
  observers?: Observer[];
  layers?: L[];
}

/**
 * Turns registry extras into a protocol connector's extras. The cassette layer needs
 * the connector's redactor, which exists only once the connector does: `redactor` is
 * asked lazily.
 */
export function protocolExtras<L>(
  config: { name: string; protocol: string; baseUrl?: string; allowedOrigins?: readonly string[]; endpoint?: string },
  extras: ConnectorExtras | undefined,
  redactor: () => Redactor | undefined,
): ProtocolExtras<L> | undefined {
  if (extras === undefined) return undefined;
  const out: ProtocolExtras<L> = {};
  if (extras.observers !== undefined && extras.observers.length > 0) out.observers = [...extras.observers];
  const layer: ChainLayer<never, unknown> | undefined = extras.cassette && (cassetteLayerFor(config, { cassette: extras.cassette, redactor }) as ChainLayer<never, unknown> | undefined);
  // Safe: cassetteLayerFor builds the layer for this config's own protocol.
  if (layer !== undefined) out.layers = [layer as L];
  return out;
}
