import { describe, expect, test, vi } from 'vitest';
import { ConnectorError } from '../../../src/core/errors.js';
import type { Observer, StepObservation } from '../../../src/observability/observer.js';
import { Redactor } from '../../../src/observability/redact.js';
import { observeSteps } from '../../../src/observability/steps.js';
import { createStepRegistry, runPipeline, StepRegistry } from '../../../src/pipeline/index.js';
import type { ConnectorLookup } from '../../../src/pipeline/connectors.js';
import { recorder } from './recorder.js';

const noConnectors: ConnectorLookup = { get: async (name) => Promise.reject(new ConnectorError('UNKNOWN_CONNECTOR', `no connector ${name}`)) };

function types(): StepRegistry {
  return createStepRegistry()
    .register('double', async (ctx) => ({ result: Number(ctx.inputs['item']) * 2, attempts: 1 }))
    .register('explode', async () => {
      throw new ConnectorError('STEP', 'token s3cr3t-value leaked into a message');
    });
}

const pipeline = {
  name: 'numbers',
  steps: [{ id: 'each', type: 'foreach', config: { items: [1, 2, 3], concurrency: 1, step: { type: 'double', config: {} } } }],
  flow: { start_at: 'each' },
};

describe('observeSteps', () => {
  test('without step observers the step types are returned as they are', () => {
    const steps = types();
    expect(observeSteps(steps, [])).toBe(steps);
    expect(observeSteps(steps, [{ startCall: () => undefined }])).toBe(steps);
  });

  test('every step and every foreach item is observed, with its type, status and attempts; run wraps the handler', async () => {
    const seen = recorder();
    const order: string[] = [];
    const tracing: Observer = {
      startStep: (step): StepObservation => ({
        run: async (fn) => {
          order.push(`enter ${step.stepId}`);
          try {
            return await fn();
          } finally {
            order.push(`leave ${step.stepId}`);
          }
        },
        end: () => undefined,
      }),
    };
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps: observeSteps(types(), [seen, tracing]) });
    expect(result.outputs).toBeDefined();
    expect(result.status).toBe('succeeded');
    expect(seen.steps.map((s) => [s.step.stepId, s.step.stepType, s.result])).toEqual([
      ['each', 'foreach', { status: 'succeeded', attempts: 3 }],
      ['each[0]', 'double', { status: 'succeeded', attempts: 1 }],
      ['each[1]', 'double', { status: 'succeeded', attempts: 1 }],
      ['each[2]', 'double', { status: 'succeeded', attempts: 1 }],
    ]);
    expect(order).toEqual(['enter each', 'enter each[0]', 'leave each[0]', 'enter each[1]', 'leave each[1]', 'enter each[2]', 'leave each[2]', 'leave each']);
  });

  test('a failed step ends with its code and a redacted message; the run reports the failure unchanged', async () => {
    const seen = recorder();
    const failing = { name: 'f', steps: [{ id: 'boom', type: 'explode', config: {} }], flow: { start_at: 'boom' } };
    const steps = observeSteps(types(), [seen], { redactor: new Redactor({ secrets: ['s3cr3t-value'] }) });
    const result = await runPipeline(failing, { connectors: noConnectors, steps });
    expect(result.status).toBe('failed');
    expect(seen.steps[0]?.result).toEqual({ status: 'failed', error: { code: 'STEP', message: 'token [REDACTED] leaked into a message' } });
  });

  test('step observers that throw, or whose run never runs the step, do not change what the step does', async () => {
    const boom = (): never => {
      throw new Error('observer bug');
    };
    const broken: Observer[] = [
      { startStep: boom },
      { startStep: () => ({ run: boom, end: boom }) },
      { startStep: () => ({ run: async () => undefined as never, end: () => undefined }) },
    ];
    let runs = 0;
    const steps = new StepRegistry().register('count', async () => ({ result: ++runs }));
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const result = await runPipeline({ name: 'c', steps: [{ id: 'one', type: 'count', config: {} }], flow: { start_at: 'one' } }, { connectors: noConnectors, steps: observeSteps(steps, broken) });
    const warned = warnings.mock.calls.map((c) => String(c[0]));
    warnings.mockRestore();
    expect(warned.some((w) => w.includes('failed in startStep'))).toBe(true);
    expect(warned.some((w) => w.includes('failed in run'))).toBe(true);
    expect(result.status).toBe('succeeded');
    expect(runs).toBe(1);
  });
});
