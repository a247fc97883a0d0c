import type { Observer } from '../observer.js';
import { createOpenTelemetryObserver } from './build.js';
import { loadOpenTelemetryApi } from './load.js';
import type { OpenTelemetryOptions } from './options.js';

/**
 * The observer `openTelemetry()` returns: every hook of {@link Observer}, and `close()`
 * which flushes the providers it was given (or the global ones).
 *
 * @example
 * ```ts
 * import { openTelemetry, type OpenTelemetryObserver } from 'ia-connectors';
 * const otel: OpenTelemetryObserver = await openTelemetry();
 * await otel.close();
 * ```
 */
export interface OpenTelemetryObserver extends Observer {
  close(): Promise<void>;
}

/**
 * OpenTelemetry tracing and metrics for connectors and pipelines. Loads
 * `@opentelemetry/api` (an optional peer dependency) when called, so it is async; without
 * the package it fails with a `CONFIG` error telling you to install it, and nothing else
 * in the library needs it. Spans: one CLIENT span per call with a child per attempt,
 * retries, rate-limit waits and breaker, limiter and bulkhead refusals as span events,
 * one INTERNAL span per pipeline step (with `observeSteps`). W3C trace context goes out
 * on every attempt: HTTP headers, gRPC metadata, WebSocket handshakes. Metrics come
 * from meter `ia-connectors`; see docs/observability.md for names and attributes.
 *
 * @example
 * ```ts
 * import { createRestConnector, openTelemetry } from 'ia-connectors';
 * const otel = await openTelemetry();
 * const users = createRestConnector({ name: 'users', baseUrl: 'http://127.0.0.1:8080' }, { observers: [otel] });
 * await users.get('/users/{id}', { params: { id: 'ada' } }).send();
 * await otel.close();
 * ```
 */
export async function openTelemetry(options: OpenTelemetryOptions = {}): Promise<OpenTelemetryObserver> {
  return createOpenTelemetryObserver(await loadOpenTelemetryApi(), options);
}
