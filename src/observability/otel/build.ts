import type { Meter, TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { Observer } from '../observer.js';
import { observeCall, type OtelParts } from './calls.js';
import type { OpenTelemetryApi } from './load.js';
import { ConnectorMetrics } from './metrics.js';
import type { OpenTelemetryOptions } from './options.js';
import { observeStep } from './steps.js';

const INSTRUMENTATION = 'ia-connectors';

/**
 * The OpenTelemetry observer on an API module already loaded; `openTelemetry()` loads it.
 *
 * @example
 * ```ts
 * import { loadOpenTelemetryApi } from './load.js';
 * import { createOpenTelemetryObserver } from './build.js';
 * const otel = await createOpenTelemetryObserver(await loadOpenTelemetryApi(), {});
 * ```
 */
export async function createOpenTelemetryObserver(api: OpenTelemetryApi, options: OpenTelemetryOptions): Promise<Observer & { close(): Promise<void> }> {
  const tracer = (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(INSTRUMENTATION) as Tracer;
  const meter = (options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(INSTRUMENTATION) as Meter;
  const given = options.propagator;
  const fallback = given === undefined ? await w3cPropagator() : undefined;
  const propagator = (): TextMapPropagator | undefined => {
    if (given === false) return undefined;
    if (given) return given as TextMapPropagator;
    // Read each time: an SDK started after this observer still has its propagator used.
    return api.propagation.fields().length > 0 ? api.propagation : fallback;
  };
  const parts: OtelParts = { api, tracer, metrics: new ConnectorMetrics(meter), propagator };
  return {
    startCall: (call) => observeCall(parts, call),
    startStep: (step) => observeStep(parts, step),
    attach(connector) {
      connector.on('circuitStateChange', (change) => parts.metrics.breakerChanged(connector, change.to));
    },
    async close() {
      await Promise.all([flush(options.tracerProvider ?? api.trace.getTracerProvider()), flush(options.meterProvider ?? api.metrics.getMeterProvider())]);
    },
  };
}

/** W3C Trace Context from `@opentelemetry/core` when it is installed (every SDK brings it). */
async function w3cPropagator(): Promise<TextMapPropagator | undefined> {
  try {
    const core = await import('@opentelemetry/core');
    return new core.W3CTraceContextPropagator();
  } catch {
    return undefined;
  }
}

async function flush(provider: unknown): Promise<void> {
  // A global provider is a proxy; the SDK's own provider is its delegate.
  const target = typeof (provider as { getDelegate?: unknown })?.getDelegate === 'function' ? (provider as { getDelegate(): unknown }).getDelegate() : provider;
  const forceFlush = (target as { forceFlush?: () => Promise<void> } | undefined)?.forceFlush;
  if (typeof forceFlush === 'function') await forceFlush.call(target).catch(() => undefined);
}
