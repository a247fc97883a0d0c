import { isConnectorError } from '../core/errors.js';
import type { StepDefinition, StepHandler, StepTypes } from '../pipeline/step-types.js';
import { quietly, runInside, type Runner } from './layers/quietly.js';
import type { Observer, StepObservation } from './observer.js';
import { Redactor } from './redact.js';

/**
 * Options of {@link observeSteps}.
 *
 * @example
 * ```ts
 * import { Redactor, type ObserveStepsOptions } from 'ia-connectors';
 * const o: ObserveStepsOptions = { redactor: new Redactor({ secrets: ['s3cr3t-value'] }) };
 * ```
 */
export interface ObserveStepsOptions {
  /** Hides secrets in the error messages of failed steps (known secrets, by value). */
  redactor?: Redactor;
}

/**
 * Step types whose every handler is watched by `observers`: each step, and each item a
 * `foreach` runs through `runNested` (`fetch[3]`), becomes a step observation that
 * starts before the handler, runs it inside the observer's context (so the calls it
 * makes nest under it in a trace), and ends with its status, attempts and error. With
 * no step observers the types are returned as they are. An observer that throws never
 * fails a step.
 *
 * @example
 * ```ts
 * import { createStepRegistry, observeSteps, runPipeline, openTelemetry } from 'ia-connectors';
 * declare const pipeline: import('ia-connectors').PipelineDefinition;
 * const otel = await openTelemetry();
 * await runPipeline(pipeline, { steps: observeSteps(createStepRegistry(), [otel]) });
 * ```
 */
export function observeSteps(steps: StepTypes, observers: readonly Observer[], options: ObserveStepsOptions = {}): StepTypes {
  const watching = observers.filter((o) => typeof o?.startStep === 'function');
  if (watching.length === 0) return steps;
  const redactor = options.redactor ?? new Redactor();
  const wrapped = new WeakMap<StepDefinition, StepDefinition>();
  return {
    get(type) {
      const definition = steps.get(type);
      if (!definition) return undefined;
      let observed = wrapped.get(definition);
      if (!observed) {
        observed = { ...definition, handler: observedHandler(definition, watching, redactor) };
        wrapped.set(definition, observed);
      }
      return observed;
    },
    types: () => steps.types(),
  };
}

function observedHandler(definition: StepDefinition, observers: readonly Observer[], redactor: Redactor): StepHandler {
  const { handler, type } = definition;
  return async (ctx) => {
    const step = { stepId: ctx.stepId, stepType: type, startTime: Date.now() };
    const started: StepObservation[] = [];
    for (const o of observers) {
      const observation = quietly(() => o.startStep?.(step), 'startStep');
      if (observation) started.push(observation);
    }
    if (started.length === 0) return handler(ctx);
    const runners: Runner[] = started.filter((s) => typeof s.run === 'function').map((s) => (fn) => s.run(fn));
    try {
      const output = await runInside(runners, () => handler(ctx));
      const attempts = typeof output?.attempts === 'number' ? { attempts: output.attempts } : {};
      for (const s of started) quietly(() => s.end({ status: 'succeeded', ...attempts }), 'step end');
      return output;
    } catch (error) {
      const code = isConnectorError(error) ? error.code : 'STEP';
      const failure = { status: 'failed' as const, error: { code, message: redactor.message(error) } };
      for (const s of started) quietly(() => s.end(failure), 'step end');
      throw error;
    }
  };
}
