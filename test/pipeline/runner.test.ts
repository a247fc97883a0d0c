import { describe, expect, it } from 'vitest';
import { createStepRegistry, runPipeline, type PipelineEvent, type StepContext } from '../../src/pipeline/index.js';
import { deferred, noConnectors, pipelineOf, until, type Deferred } from './support/helpers.js';

/** A registry whose `record` step returns its inputs and logs when it ran. */
function recorder(gates: Record<string, Deferred<void>> = {}) {
  const started: string[] = [];
  const finished: string[] = [];
  const seen: Record<string, StepContext['inputs']> = {};
  const steps = createStepRegistry().register('record', async (ctx) => {
    started.push(ctx.stepId);
    seen[ctx.stepId] = ctx.inputs;
    await gates[ctx.stepId]?.promise;
    finished.push(ctx.stepId);
    return { result: { ...ctx.inputs, ...ctx.config } };
  });
  return { steps, started, finished, seen };
}

describe('runPipeline: flow', () => {
  it('runs independent branches concurrently', async () => {
    const gates = { a: deferred(), b: deferred() };
    const { steps, started } = recorder(gates);
    const run = runPipeline(pipelineOf([{ id: 'start' }, { id: 'a' }, { id: 'b' }], [['start', 'a'], ['start', 'b']]), { connectors: noConnectors, steps });
    // Both branches are in flight at once: neither gate has been opened yet.
    await until(() => started.includes('a') && started.includes('b'), 'both branches to start');
    gates.a.resolve();
    gates.b.resolve();
    const result = await run;
    expect(result.status).toBe('succeeded');
    expect(Object.values(result.steps).map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('starts a join step once, after every incoming branch resolved', async () => {
    const gates = { a: deferred(), b: deferred() };
    const { steps, started } = recorder(gates);
    const pipeline = pipelineOf([{ id: 'start' }, { id: 'a' }, { id: 'b' }, { id: 'join' }], [['start', 'a'], ['start', 'b'], ['a', 'join'], ['b', 'join']]);
    const finished: string[] = [];
    const onEvent = (e: PipelineEvent): void => {
      if (e.type === 'step_finished') finished.push(e.stepId);
    };
    const run = runPipeline(pipeline, { connectors: noConnectors, steps, onEvent });
    await until(() => started.includes('b'), 'b to start');
    gates.a.resolve();
    await until(() => finished.includes('a'), 'a to finish');
    // Let every pending continuation run (no clock involved): the join must still wait for b.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).not.toContain('join');
    gates.b.resolve();
    const result = await run;
    expect(started.filter((id) => id === 'join')).toHaveLength(1);
    expect(result.steps['join']?.status).toBe('succeeded');
  });

  it('runs a join when one incoming edge fired and the other branch was skipped', async () => {
    const { steps, started } = recorder();
    const pipeline = pipelineOf(
      [{ id: 'start' }, { id: 'off' }, { id: 'after_off' }, { id: 'on' }, { id: 'join' }],
      [
        { from: 'start', to: 'off', condition: { type: 'parameter', config: { parameter: 'flag' } } },
        ['off', 'after_off'],
        ['after_off', 'join'],
        ['start', 'on'],
        ['on', 'join'],
      ],
      { parameters: { flag: false } },
    );
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.status).toBe('succeeded');
    expect(started).toEqual(['start', 'on', 'join']);
    expect(result.steps['off']).toMatchObject({ status: 'skipped', reason: 'no incoming edge fired (start)' });
    // Skipping propagates: the step after a skipped step is skipped too.
    expect(result.steps['after_off']).toMatchObject({ status: 'skipped', reason: 'no incoming edge fired (off)' });
  });

  it('skips a step whose incoming edges all resolved without firing, and reports unreachable steps as skipped', async () => {
    const { steps, started } = recorder();
    const pipeline = pipelineOf(
      [{ id: 'start' }, { id: 'x' }, { id: 'y' }, { id: 'island' }],
      [
        { from: 'start', to: 'x', condition: { type: 'expression', config: { source: 'result.n', operator: 'greater_than', value: 10 } } },
        { from: 'start', to: 'y', condition: { type: 'expression', config: { source: 'result.n', operator: 'greater_than', value: 20 } } },
        ['x', 'y'],
      ],
    );
    pipeline.steps[0] = { id: 'start', type: 'record', config: { n: 5 } };
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(started).toEqual(['start']);
    expect(result.status).toBe('succeeded');
    expect(result.steps['y']?.status).toBe('skipped');
    expect(result.steps['island']).toEqual({ status: 'skipped', reason: 'not reachable from flow.start_at "start"' });
  });

  it('fails the run on a step failure, skips its dependents and lets running branches finish', async () => {
    const slow = deferred();
    const steps = createStepRegistry()
      .register('record', async (ctx) => ({ result: ctx.stepId }))
      .register('slow', async () => {
        await slow.promise;
        return { result: 'slow done' };
      })
      .register('boom', async () => {
        throw new Error('disk full');
      });
    const pipeline = pipelineOf(
      [{ id: 'start' }, { id: 'bad', type: 'boom' }, { id: 'after_bad' }, { id: 'long', type: 'slow' }, { id: 'after_long' }],
      [['start', 'bad'], ['bad', 'after_bad'], ['start', 'long'], ['long', 'after_long']],
    );
    const run = runPipeline(pipeline, { connectors: noConnectors, steps });
    setTimeout(() => slow.resolve(), 5);
    const result = await run;
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ code: 'STEP', message: 'disk full', stepId: 'bad' });
    expect(result.steps['bad']).toMatchObject({ status: 'failed', error: { code: 'STEP', message: 'disk full' } });
    expect(result.steps['after_bad']).toMatchObject({ status: 'skipped', reason: 'the run failed' });
    expect(result.steps['long']).toMatchObject({ status: 'succeeded', result: 'slow done' });
    expect(result.steps['after_long']).toMatchObject({ status: 'skipped', reason: 'the run failed' });
    expect(result.outputs).toEqual({});
  });

  it('aborts through the signal: running steps see it, nothing new starts', async () => {
    const controller = new AbortController();
    const steps = createStepRegistry()
      .register('record', async (ctx) => ({ result: ctx.stepId }))
      .register('wait', (ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
    const pipeline = pipelineOf([{ id: 'start' }, { id: 'waiting', type: 'wait' }, { id: 'next' }], [['start', 'waiting'], ['waiting', 'next']]);
    const run = runPipeline(pipeline, { connectors: noConnectors, steps, signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    const result = await run;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'ABORTED', stepId: 'waiting' });
    expect(result.steps['next']).toMatchObject({ status: 'skipped', reason: 'the run was aborted' });
  });

  it('does not start at all with an already aborted signal', async () => {
    const { steps, started } = recorder();
    const result = await runPipeline(pipelineOf([{ id: 'start' }], []), { connectors: noConnectors, steps, signal: AbortSignal.abort() });
    expect(started).toEqual([]);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'ABORTED' }, steps: { start: { status: 'skipped' } } });
  });

  it('reports attempts from the step output, start time and duration', async () => {
    const steps = createStepRegistry().register('record', async () => ({ result: 1, attempts: 3 }));
    const result = await runPipeline(pipelineOf([{ id: 'start' }], []), { connectors: noConnectors, steps });
    const record = result.steps['start'];
    expect(record).toMatchObject({ status: 'succeeded', attempts: 3, result: 1 });
    expect(new Date(record?.startedAt ?? '').getTime()).not.toBeNaN();
    expect(record?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('emits progress events in order, including what a step reports', async () => {
    const events: PipelineEvent[] = [];
    const steps = createStepRegistry().register('record', async (ctx) => {
      ctx.emit({ type: 'page', page: 1, items: 10 });
      return { result: null };
    });
    const pipeline = pipelineOf([{ id: 'start' }, { id: 'never' }], [{ from: 'start', to: 'never', condition: { type: 'parameter', config: { parameter: 'go' } } }], {
      parameters: { go: false },
    });
    await runPipeline(pipeline, { connectors: noConnectors, steps, onEvent: (e) => events.push(e) });
    expect(events.map((e) => `${e.type}${'stepId' in e ? `:${e.stepId}` : ''}`)).toEqual([
      'run_started',
      'step_started:start',
      'page:start',
      'step_finished:start',
      'step_skipped:never',
      'run_finished',
    ]);
    expect(events[2]).toEqual({ type: 'page', page: 1, items: 10, stepId: 'start' });
  });

  it('keeps running when an onEvent listener throws', async () => {
    const { steps } = recorder();
    const result = await runPipeline(pipelineOf([{ id: 'start' }], []), {
      connectors: noConnectors,
      steps,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(result.status).toBe('succeeded');
  });
});

describe('runPipeline: values', () => {
  it('passes typed values through templates, and stringifies inside text', async () => {
    const { steps, seen } = recorder();
    const pipeline = pipelineOf(
      [
        { id: 'load', config: { n: 5, list: [1, 2], obj: { x: 1 } } },
        {
          id: 'use',
          inputs: {
            n: '{{ load.n }}',
            list: '{{ steps.load.result.list }}',
            first: '{{ load.list[1] }}',
            obj: '{{ load.obj }}',
            text: 'n={{ load.n }} obj={{ load.obj }}',
            nested: { deep: ['{{ load.obj.x }}'] },
          },
        },
      ],
      [['load', 'use']],
    );
    await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(seen['use']).toEqual({ n: 5, list: [1, 2], first: 2, obj: { x: 1 }, text: 'n=5 obj={"x":1}', nested: { deep: [1] } });
  });

  it('overrides pipeline parameters with run parameters and reads the run input', async () => {
    const { steps, seen } = recorder();
    const pipeline = pipelineOf([{ id: 'start', inputs: { name: '{{ parameters.name }}', limit: '{{ parameters.limit }}', id: '{{ pipeline_input.id }}' } }], [], {
      parameters: { name: 'ada', limit: 10 },
    });
    await runPipeline(pipeline, { connectors: noConnectors, steps, parameters: { limit: 3 }, input: { id: 'u-1' } });
    expect(seen['start']).toEqual({ name: 'ada', limit: 3, id: 'u-1' });
  });

  it('renders outputs, with null for a skipped step', async () => {
    const { steps } = recorder();
    const pipeline = pipelineOf(
      [{ id: 'start', config: { total: 4 } }, { id: 'off' }],
      [{ from: 'start', to: 'off', condition: { type: 'parameter', config: { parameter: 'go' } } }],
      { parameters: { go: false }, outputs: { total: '{{ start.total }}', off: '{{ off.anything }}', label: 'total: {{ start.total }}' } },
    );
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.outputs).toEqual({ total: 4, off: null, label: 'total: 4' });
  });

  it('refuses to start when a parameter or input a template reads is missing', async () => {
    const { steps, started } = recorder();
    const pipeline = pipelineOf([{ id: 'start' }, { id: 'b', inputs: { user: '{{ parameters.usr }}', id: '{{ pipeline_input.id }}' } }], [['start', 'b']], {
      parameters: { user: 'ada' },
    });
    const error = await runPipeline(pipeline, { connectors: noConnectors, steps }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TEMPLATE' });
    expect((error as Error).message).toContain('step "b" inputs.user: {{ parameters.usr }} reads parameter "usr", which is not set; parameters are: user');
    expect((error as Error).message).toContain('step "b" inputs.id: {{ pipeline_input.id }} reads pipeline_input "id", which the run input lacks');
    expect(started).toEqual([]);
  });

  it('fails the step, naming it and the template, when a field of a step result is missing', async () => {
    const { steps } = recorder();
    const pipeline = pipelineOf([{ id: 'load', config: { user: { id: 7, name: 'ada' } } }, { id: 'use', inputs: { id: '{{ load.user.idd }}' } }], [['load', 'use']]);
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.status).toBe('failed');
    expect(result.steps['use']?.error).toEqual({
      code: 'TEMPLATE',
      message: 'step "use" inputs.id: {{ load.user.idd }} cannot be resolved: "user" in the result of step "load" has no field "idd"; its fields are: id, name',
    });
  });

  it('fails the run when a condition reads a field the result lacks', async () => {
    const { steps, started } = recorder();
    const pipeline = pipelineOf(
      [{ id: 'start', config: { count: 1 } }, { id: 'next' }],
      [{ from: 'start', to: 'next', condition: { type: 'expression', config: { source: 'result.cuont', operator: 'equals', value: 1 } } }],
    );
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(started).toEqual(['start']);
    expect(result.status).toBe('failed');
    expect(result.error?.stepId).toBe('start');
    expect(result.error?.message).toMatch(/^flow\.paths\[0\]: condition source "result\.cuont" cannot be resolved: the result of step "start" has no field "cuont"; its fields are: count; use operator "exists"/);
  });
});

describe('custom step types', () => {
  it('may keep config keys raw and resolve them later with their own variables', async () => {
    const steps = createStepRegistry()
      .register('record', async (ctx) => ({ result: ctx.config }))
      .register(
        'repeat',
        async (ctx) => {
          const times = ctx.config['times'] as number;
          const lines = Array.from({ length: times }, (_, n) => ctx.render(ctx.config['line'], { n }, 'config.line'));
          return { result: lines };
        },
        { rawConfigKeys: ['line'], variables: ['n'] },
      );
    const pipeline = pipelineOf(
      [{ id: 'start', config: { who: 'ada' } }, { id: 'rep', type: 'repeat', config: { times: '{{ start.count }}', line: '{{ n }}: {{ start.who }}' } }],
      [['start', 'rep']],
    );
    pipeline.steps[0] = { id: 'start', type: 'record', config: { who: 'ada', count: 2 } };
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.steps['rep']?.result).toEqual(['0: ada', '1: ada']);
  });
});
