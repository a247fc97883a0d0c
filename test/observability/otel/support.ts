import { context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { openTelemetry, type OpenTelemetryObserver } from '../../../src/observability/otel/open-telemetry.js';
import type { OpenTelemetryOptions } from '../../../src/observability/otel/options.js';

/** A reader the test collects from on demand. */
class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** An SDK wired to in-memory exporters, and the observer built on it. */
export interface OtelHarness {
  readonly otel: OpenTelemetryObserver;
  readonly tracerProvider: BasicTracerProvider;
  spans(): ReadableSpan[];
  /** Every metric collected now, by name. */
  metrics(): Promise<Map<string, MetricData>>;
  /** Clears finished spans. */
  reset(): void;
  shutdown(): Promise<void>;
}

/** Registers an async-hooks context manager (as NodeSDK does) and builds the observer on fresh providers. */
export async function startOtel(options: Omit<OpenTelemetryOptions, 'tracerProvider' | 'meterProvider'> = {}): Promise<OtelHarness> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const otel = await openTelemetry({ ...options, tracerProvider, meterProvider });
  return {
    otel,
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
      return byName;
    },
    reset: () => exporter.reset(),
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      context.disable();
      propagation.disable();
      trace.disable();
    },
  };
}

/** The parent span id of a finished span, or undefined for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return (span.parentSpanContext as SpanContext | undefined)?.spanId;
}

/** The spans whose parent is `span`, in start order. */
export function childrenOf(spans: readonly ReadableSpan[], span: ReadableSpan): ReadableSpan[] {
  return spans.filter((s) => parentOf(s) === span.spanContext().spanId).sort((a, b) => compareTime(a.startTime, b.startTime));
}

/** The one span named `name` with no parent among `spans` other than `parentId`. */
export function spanNamed(spans: readonly ReadableSpan[], name: string, parentId?: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name && (parentId === undefined || parentOf(s) === parentId));
  const roots = parentId === undefined ? found.filter((s) => !spans.some((p) => p.spanContext().spanId === parentOf(s) && p.name === name)) : found;
  if (roots.length !== 1) throw new Error(`expected one span "${name}", found ${roots.length}: ${spans.map((s) => s.name).join(', ')}`);
  return roots[0] as ReadableSpan;
}

/** The trace id and span id a `traceparent` header carries. */
export function parseTraceparent(value: unknown): { traceId: string; spanId: string } {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-3]$/.exec(String(value));
  if (!match) throw new Error(`not a valid traceparent: ${String(value)}`);
  return { traceId: match[1] as string, spanId: match[2] as string };
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
