import type { Attributes, Context, Span, TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { ObservedAttributes } from '../../core/observer.js';
import type { AttemptObservation, CallObservation, ObservedCall, ObservedResult } from '../observer.js';
import type { OpenTelemetryApi } from './load.js';
import { errorType, type ConnectorMetrics } from './metrics.js';

/**
 * What call and step observations share: the API, tracer, instruments and the
 * propagator chosen for this moment (the global one may be set after start-up).
 *
 * @example
 * ```ts
 * import type { OtelParts } from './calls.js';
 * const tracerOf = (parts: OtelParts) => parts.tracer;
 * ```
 */
export interface OtelParts {
  readonly api: OpenTelemetryApi;
  readonly tracer: Tracer;
  readonly metrics: ConnectorMetrics;
  readonly propagator: () => TextMapPropagator | undefined;
}

/**
 * One connector call as OpenTelemetry sees it: a CLIENT span (child of the active
 * context, e.g. a step span) with the call's semantic-convention attributes; one
 * child CLIENT span per attempt, whose context is injected into the attempt's
 * headers and in which the attempt runs; retries, waits and refusals as span events;
 * status ERROR with `error.type` on failure; durations and counts as metrics.
 *
 * @example
 * ```ts
 * import { observeCall, type OtelParts } from './calls.js';
 * declare const parts: OtelParts;
 * const observation = observeCall(parts, { connector: 'users', protocol: 'rest', name: 'GET /users/{id}', attributes: {}, startTime: Date.now() });
 * ```
 */
export function observeCall(parts: OtelParts, call: ObservedCall): CallObservation {
  const { api, tracer, metrics } = parts;
  const parent = api.context.active();
  const base: Attributes = { 'ia_connectors.connector': call.connector, 'ia_connectors.protocol': call.protocol };
  const span = tracer.startSpan(call.name, { kind: api.SpanKind.CLIENT, startTime: call.startTime, attributes: { ...call.attributes, ...base } }, parent);
  const callContext = api.trace.setSpan(parent, span);
  const started = performance.now();
  let attempts = 0;
  metrics.callStarted(base);
  return {
    event(name, attributes) {
      span.addEvent(name, attributes);
      metrics.event(name, attributes, base);
    },
    attempt(attempt, attributes) {
      attempts = Math.max(attempts, attempt);
      return observeAttempt(parts, call, callContext, attempt, attributes);
    },
    end(result) {
      finish(api, span, result, { 'ia_connectors.attempts': attempts });
      metrics.callEnded(base, result, (performance.now() - started) / 1000);
    },
  };
}

function observeAttempt(parts: OtelParts, call: ObservedCall, callContext: Context, attempt: number, attributes: ObservedAttributes): AttemptObservation {
  const { api, tracer, metrics } = parts;
  const span = tracer.startSpan(call.name, { kind: api.SpanKind.CLIENT, attributes: { ...call.attributes, ...attributes, 'ia_connectors.attempt': attempt } }, callContext);
  const attemptContext = api.trace.setSpan(callContext, span);
  const propagation: Record<string, string> = {};
  parts.propagator()?.inject(attemptContext, propagation, api.defaultTextMapSetter);
  const started = performance.now();
  return {
    propagation,
    run: (fn) => api.context.with(attemptContext, fn),
    end(result) {
      finish(api, span, result);
      metrics.attemptEnded(call.attributes, result, (performance.now() - started) / 1000);
    },
  };
}

/** Ends `span` with the result's attributes and, on failure, status ERROR (with the redacted message) and `error.type`. */
function finish(api: OpenTelemetryApi, span: Span, result: ObservedResult, extra: Attributes = {}): void {
  span.setAttributes({ ...result.attributes, ...extra });
  if (!result.ok) {
    span.setAttribute('error.type', errorType(result));
    span.setStatus({ code: api.SpanStatusCode.ERROR, ...(result.error ? { message: result.error.message } : {}) });
  }
  span.end();
}
