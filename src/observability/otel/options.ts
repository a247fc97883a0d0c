/**
 * Anything that hands out tracers, such as an OpenTelemetry SDK `TracerProvider`.
 * Typed structurally so the library's types do not need `@opentelemetry/api`.
 *
 * @example
 * ```ts
 * import type { TracerProviderLike } from 'ia-connectors';
 * import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
 * const provider: TracerProviderLike = new BasicTracerProvider();
 * ```
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/**
 * Anything that hands out meters, such as an OpenTelemetry SDK `MeterProvider`.
 *
 * @example
 * ```ts
 * import type { MeterProviderLike } from 'ia-connectors';
 * import { MeterProvider } from '@opentelemetry/sdk-metrics';
 * const provider: MeterProviderLike = new MeterProvider();
 * ```
 */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): unknown;
}

/**
 * A text-map propagator, such as `W3CTraceContextPropagator` from `@opentelemetry/core`.
 *
 * @example
 * ```ts
 * import type { TextMapPropagatorLike } from 'ia-connectors';
 * import { W3CTraceContextPropagator } from '@opentelemetry/core';
 * const propagator: TextMapPropagatorLike = new W3CTraceContextPropagator();
 * ```
 */
export interface TextMapPropagatorLike {
  inject(context: unknown, carrier: unknown, setter: unknown): void;
  fields(): string[];
}

/**
 * Options of `openTelemetry()`. Each provider defaults to the globally registered one
 * (what `NodeSDK.start()` or `provider.register()` set up). The propagator defaults
 * to the global one when it is configured, else W3C Trace Context (`traceparent`,
 * `tracestate`); `false` sends no trace headers.
 *
 * @example
 * ```ts
 * import type { OpenTelemetryOptions } from 'ia-connectors';
 * import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
 * const o: OpenTelemetryOptions = { tracerProvider: new BasicTracerProvider() };
 * ```
 */
export interface OpenTelemetryOptions {
  tracerProvider?: TracerProviderLike;
  meterProvider?: MeterProviderLike;
  propagator?: TextMapPropagatorLike | false;
}
