import type { ObservedStep, StepObservation } from '../observer.js';
import type { OtelParts } from './calls.js';

/**
 * One pipeline step as OpenTelemetry sees it: an INTERNAL span `step <id>` with
 * `ia_connectors.step.id` and `ia_connectors.step.type`, child of the active context;
 * `run` makes it the active span, so the calls the step makes become its children.
 *
 * @example
 * ```ts
 * import { observeStep } from './steps.js';
 * import type { OtelParts } from './calls.js';
 * declare const parts: OtelParts;
 * const step = observeStep(parts, { stepId: 'load', stepType: 'api_call', startTime: Date.now() });
 * ```
 */
export function observeStep(parts: OtelParts, step: ObservedStep): StepObservation {
  const { api, tracer, metrics } = parts;
  const parent = api.context.active();
  const attributes = { 'ia_connectors.step.id': step.stepId, 'ia_connectors.step.type': step.stepType };
  const span = tracer.startSpan(`step ${step.stepId}`, { kind: api.SpanKind.INTERNAL, startTime: step.startTime, attributes }, parent);
  const stepContext = api.trace.setSpan(parent, span);
  const started = performance.now();
  return {
    run: (fn) => api.context.with(stepContext, fn),
    end(result) {
      if (result.attempts !== undefined) span.setAttribute('ia_connectors.step.attempts', result.attempts);
      if (result.status === 'failed') {
        span.setAttribute('error.type', result.error?.code ?? 'STEP');
        span.setStatus({ code: api.SpanStatusCode.ERROR, ...(result.error ? { message: result.error.message } : {}) });
      }
      span.end();
      metrics.stepEnded(step.stepType, result.status, (performance.now() - started) / 1000, result.error?.code);
    },
  };
}
