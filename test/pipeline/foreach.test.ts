import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStepRegistry, runPipeline, type PipelineEvent } from '../../src/pipeline/index.js';
import { deferred, noConnectors, pipelineOf, until } from './support/helpers.js';
import { startTestServer, type TestServer } from './support/http-server.js';
import { createUndiciCaller, lookupOf } from './support/undici-caller.js';

const load = (items: unknown[]) => ({ id: 'load', type: 'record', config: { items } });
const each = (step: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'each',
  type: 'foreach',
  config: { items: '{{ load.items }}', step, ...extra },
});

describe('foreach', () => {
  it('runs the nested step per item with {{ item }} and {{ index }}, results in input order', async () => {
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const finished: number[] = [];
    const steps = createStepRegistry()
      .register('record', async (ctx) => ({ result: ctx.config }))
      .register('label', async (ctx) => {
        const index = ctx.inputs['index'] as number;
        started.push(index);
        await gates[index]?.promise;
        finished.push(index);
        return { result: `${String(ctx.inputs['index'])}:${String(ctx.inputs['name'])}`, attempts: 1 };
      });
    const pipeline = pipelineOf(
      [load([{ name: 'ada' }, { name: 'bob' }, { name: 'cy' }]), each({ type: 'label', inputs: { name: '{{ item.name }}', index: '{{ index }}' } })],
      [['load', 'each']],
    );
    const run = runPipeline(pipeline, { connectors: noConnectors, steps });
    // Finish in reverse order; the results must still follow the input order.
    await until(() => started.length === 3, 'all items to start');
    for (const index of [2, 1, 0]) {
      gates[index]?.resolve();
      await until(() => finished.includes(index), `item ${index} to finish`);
    }
    const result = await run;
    expect(finished).toEqual([2, 1, 0]);
    expect(result.steps['each']).toMatchObject({ status: 'succeeded', result: ['0:ada', '1:bob', '2:cy'], attempts: 3 });
  });

  it('bounds concurrency', async () => {
    let active = 0;
    let peak = 0;
    const steps = createStepRegistry()
      .register('record', async (ctx) => ({ result: ctx.config }))
      .register('work', async (ctx) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 2));
        active--;
        return { result: ctx.inputs['item'] };
      });
    const pipeline = pipelineOf([load([1, 2, 3, 4, 5, 6, 7]), each({ type: 'work' }, { concurrency: 3 })], [['load', 'each']]);
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.steps['each']?.result).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('fails on one item, lets the running ones finish and starts no more', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const slow = deferred();
    const steps = createStepRegistry()
      .register('record', async (ctx) => ({ result: ctx.config }))
      .register('work', async (ctx) => {
        const index = ctx.inputs['index'] as number;
        started.push(index);
        if (index === 1) throw new Error('item broke');
        if (index === 0) await slow.promise;
        finished.push(index);
        return { result: index };
      });
    const events: PipelineEvent[] = [];
    const pipeline = pipelineOf([load(['a', 'b', 'c', 'd']), each({ type: 'work' }, { concurrency: 2 })], [['load', 'each']]);
    const run = runPipeline(pipeline, { connectors: noConnectors, steps, onEvent: (e) => events.push(e) });
    await until(() => started.includes(1), 'item 1 to start');
    slow.resolve();
    const result = await run;
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]);
    expect(result.steps['each']?.error).toEqual({ code: 'STEP', message: 'step "each": item 1 failed: item broke' });
    expect(events.filter((e) => e.type === 'items')).toEqual([
      { type: 'items', stepId: 'each', completed: 1, total: 4 },
      { type: 'items', stepId: 'each', completed: 2, total: 4 },
    ]);
  });

  it('never reads item data as a template', async () => {
    // The text comes from a step's result (data), not from the pipeline file.
    const steps = createStepRegistry()
      .register('record', async () => ({ result: { items: ['{{ parameters.secret }}'] } }))
      .register('echo', async (ctx) => ({ result: ctx.inputs['item'] }));
    const pipeline = pipelineOf([load([]), each({ type: 'echo' })], [['load', 'each']], { parameters: { secret: 's3cr3t' } });
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.steps['each']?.result).toEqual(['{{ parameters.secret }}']);
  });

  it('fails clearly when items is not a list', async () => {
    const steps = createStepRegistry().register('record', async (ctx) => ({ result: ctx.config }));
    const pipeline = pipelineOf([load([]), { ...each({ type: 'record' }), config: { items: '{{ load }}', step: { type: 'record' } } }], [['load', 'each']]);
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(result.steps['each']?.error).toMatchObject({ code: 'PIPELINE', message: expect.stringContaining('items: must be a list, e.g. "{{ load.users }}"') });
  });
});

describe('foreach with api_call', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((req) => {
      const match = /^\/users\/([^/]+)$/.exec(req.path);
      return match ? { body: { id: decodeURIComponent(match[1] ?? ''), n: Number(req.query.get('n')) } } : undefined;
    });
  });
  afterAll(() => server.close());

  it('calls the endpoint per item with encoded placeholders, from {{ item.x }} inputs or the default item input', async () => {
    const steps = createStepRegistry().register('record', async (ctx) => ({ result: ctx.config }));
    const connectors = lookupOf({ users: createUndiciCaller(server.url) });
    const pipeline = pipelineOf(
      [
        load([{ name: 'ada' }, { name: 'a/b' }]),
        each({ type: 'api_call', inputs: { who: '{{ item.name }}' }, config: { connector: 'users', endpoint: '/users/{who}', query: { n: '{{ index }}' } } }),
        { id: 'plain', type: 'foreach', config: { items: ['x y'], step: { type: 'api_call', config: { connector: 'users', endpoint: '/users/{item}' } } } },
      ],
      [['load', 'each'], ['each', 'plain']],
    );
    const result = await runPipeline(pipeline, { connectors, steps });
    expect(result.steps['each']).toMatchObject({ status: 'succeeded', attempts: 2, result: [{ id: 'ada', n: 0 }, { id: 'a/b', n: 1 }] });
    expect(result.steps['plain']?.result).toEqual([{ id: 'x y', n: 0 }]);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/users/a%2Fb?n=1', '/users/ada?n=0', '/users/x%20y']);
  });
});
