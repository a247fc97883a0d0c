import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../src/core/errors.js';
import { createStepRegistry, parsePipeline, runPipeline, validatePipeline, type PipelineDefinition } from '../../src/pipeline/index.js';
import { noConnectors, pipelineOf } from './support/helpers.js';

const steps = createStepRegistry().register('record', async (ctx) => ({ result: ctx.inputs }));

function failure(definition: unknown): { code: string; message: string } {
  try {
    validatePipeline(definition, { steps });
  } catch (error) {
    if (isConnectorError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('parsePipeline', () => {
  it('accepts step_class for type, keeps unknown fields and fills defaults', () => {
    const pipeline = parsePipeline({
      name: 'p',
      version: 2,
      steps: [{ id: 'a', name: 'First', step_class: 'record', description: 'kept' }],
      flow: { start_at: 'a', transitions: [] },
    });
    expect(pipeline.steps[0]).toEqual({ id: 'a', name: 'First', type: 'record', description: 'kept', inputs: {}, config: {} });
    expect(pipeline.version).toBe('2');
    expect(pipeline.parameters).toEqual({});
    expect(parsePipeline(pipeline)).toEqual(pipeline);
  });

  it('defaults an edge condition to always', () => {
    const pipeline = parsePipeline(pipelineOf([{ id: 'a' }, { id: 'b' }], [['a', 'b']]));
    expect(pipeline.flow.paths?.[0]?.condition).toEqual({ type: 'always' });
  });

  it('names each bad field and the fix, with code PIPELINE', () => {
    expect(() => parsePipeline('{"name": "p", "steps": [{"id": "1a"}], "flow": {}}')).toThrow(
      expect.objectContaining({
        code: 'PIPELINE',
        message: [
          'invalid pipeline "p": 3 problems',
          '  - steps[0].id: use letters, digits, "_" or "-", starting with a letter or "_", e.g. "fetch_user"',
          '  - steps[0].type: is missing; set the step type, e.g. "type": "api_call"',
          '  - flow.start_at: is missing; name the first step, e.g. "start_at": "fetch_user"',
        ].join('\n'),
      }),
    );
  });

  it('explains bad conditions', () => {
    const bad = (condition: unknown) => () => parsePipeline(pipelineOf([{ id: 'a' }, { id: 'b' }], [{ from: 'a', to: 'b', condition }]));
    expect(bad({ type: 'sometimes' })).toThrow('flow.paths[0].condition.type: must have type "always", "parameter" or "expression"');
    expect(bad({ type: 'expression', config: { source: 'result.n', operator: 'bigger', value: 1 } })).toThrow(
      'flow.paths[0].condition.config.operator: must be one of equals, not_equals, greater_than',
    );
    expect(bad({ type: 'expression', config: { source: 'result.n', operator: 'equals' } })).toThrow(
      'flow.paths[0].condition.config.value: operator "equals" needs a value to compare with',
    );
  });

  it('refuses both flow.paths and flow.transitions, and text that is not JSON', () => {
    expect(() => parsePipeline({ name: 'p', steps: [{ id: 'a', type: 'x' }], flow: { start_at: 'a', paths: [], transitions: [] } })).toThrow(
      'flow.transitions: use either flow.paths or flow.transitions, not both',
    );
    expect(() => parsePipeline('{ name: p }')).toThrow(expect.objectContaining({ code: 'PIPELINE', message: expect.stringContaining('not valid JSON') }));
  });
});

describe('validatePipeline', () => {
  it('names the steps of a cycle', () => {
    const result = failure(pipelineOf([{ id: 'start' }, { id: 'a' }, { id: 'b' }, { id: 'c' }], [['start', 'a'], ['a', 'b'], ['b', 'c'], ['c', 'a']]));
    expect(result).toEqual({ code: 'PIPELINE', message: 'invalid pipeline "test": 1 problem\n  - flow: the steps a → b → c → a form a cycle; remove one of these edges (a pipeline runs each step once)' });
  });

  it('rejects an unknown step type, listing the known ones', () => {
    expect(failure(pipelineOf([{ id: 'a', type: 'api_cal' }], []))).toMatchObject({
      code: 'PIPELINE',
      message: expect.stringContaining('steps[0] ("a").type: unknown step type "api_cal"; known types: api_call, foreach, graphql, grpc, websocket, record. Register a custom type with steps.register("api_cal", handler)'),
    });
  });

  it('rejects an unknown or missing start_at', () => {
    expect(failure({ ...pipelineOf([{ id: 'a' }], []), flow: { start_at: 'b' } }).message).toContain('flow.start_at: "b" is not a step id; step ids are: a');
    expect(failure({ ...pipelineOf([{ id: 'a' }], []), flow: {} }).message).toContain('flow.start_at: is missing');
  });

  it('rejects an edge to or from an unknown step, and into start_at', () => {
    const { message } = failure(pipelineOf([{ id: 'a' }, { id: 'b' }], [['a', 'c'], ['x', 'b'], ['b', 'a']]));
    expect(message).toContain('flow.paths[0].to: "c" is not a step id; step ids are: a, b');
    expect(message).toContain('flow.paths[1].from: "x" is not a step id');
    expect(message).toContain('flow.paths[2].to: "a" is flow.start_at, which runs first; an edge may not enter it');
  });

  it('rejects duplicate and reserved step ids', () => {
    const { message } = failure(pipelineOf([{ id: 'a' }, { id: 'a' }, { id: 'steps' }], []));
    expect(message).toContain('steps[1] ("a").id: "a" is already the id of steps[0]; step ids must be unique');
    expect(message).toContain('steps[2] ("steps").id: "steps" is reserved for templates');
  });

  it('checks template syntax before running (code TEMPLATE)', () => {
    expect(failure(pipelineOf([{ id: 'a', inputs: { x: 'hello {{ parameters.name' } }], []))).toEqual({
      code: 'TEMPLATE',
      message: 'invalid pipeline "test": 1 problem\n  - step "a" inputs.x: malformed template "hello {{ parameters.name": "{{" at position 6 is never closed; close it with "}}"',
    });
  });

  it('rejects a template that reads a step that does not exist', () => {
    expect(failure(pipelineOf([{ id: 'a' }, { id: 'b', config: { body: { x: '{{ steps.ghost.result.x }}' } } }], [['a', 'b']]))).toMatchObject({
      code: 'TEMPLATE',
      message: expect.stringContaining('step "b" config.body.x: {{ steps.ghost.result.x }} cannot be resolved: there is no step "ghost"; step ids are: a, b'),
    });
  });

  it('rejects a template that reads a step which does not run before its reader', () => {
    const pipeline = pipelineOf([{ id: 'start' }, { id: 'a' }, { id: 'b', inputs: { x: '{{ a.x }}' } }], [['start', 'a'], ['start', 'b']]);
    expect(failure(pipeline).message).toContain(
      'step "b" inputs.x: {{ a.x }} reads step "a", which does not run before step "b"; add a flow path from "a" to "b" or read another step',
    );
  });

  it('checks condition sources and foreach variables', () => {
    const pipeline = pipelineOf(
      [{ id: 'start', inputs: { i: '{{ item }}' } }, { id: 'b' }],
      [{ from: 'start', to: 'b', condition: { type: 'expression', config: { source: 'result..x', operator: 'exists' } } }],
    );
    const { message } = failure(pipeline);
    expect(message).toContain('step "start" inputs.i: {{ item }} cannot be resolved: "item" exists only inside a foreach step\'s "step" settings');
    expect(message).toContain('flow.paths[0].condition.config.source: "result..x" is not a reference');
  });

  it('refuses a {{ template }} in an api_call endpoint: values must go through encoded placeholders', () => {
    const pipeline: PipelineDefinition = pipelineOf([{ id: 'a', type: 'api_call', config: { connector: 'c', endpoint: '/users/{{ parameters.id }}' } }], []);
    expect(failure(pipeline).message).toContain('step "a": config.endpoint: endpoint "/users/{{ parameters.id }}" contains a {{ template }}; write a {name} placeholder');
  });

  it('checks api_call settings that are not templates, and foreach nested types', () => {
    const pipeline = pipelineOf(
      [
        { id: 'a', type: 'api_call', config: { connector: 'c', endpoint: '/x', methd: 'GET', expect_status: '{{ parameters.s }}' } },
        { id: 'b', type: 'foreach', config: { items: '{{ a }}', step: { type: 'nope' } } },
      ],
      [['a', 'b']],
    );
    const { message } = failure(pipeline);
    expect(message).toContain('step "a": invalid api_call settings: config: unknown setting(s) "methd"; check the spelling');
    expect(message).not.toContain('expect_status');
    expect(message).toContain('step "b": config.step.type: unknown step type "nope"');
  });

  it('rejects an invalid pipeline in runPipeline before any step runs', async () => {
    let ran = false;
    const registry = createStepRegistry().register('record', async () => {
      ran = true;
      return { result: null };
    });
    const pipeline = pipelineOf([{ id: 'a' }, { id: 'b' }], [['a', 'b'], ['b', 'zz']]);
    await expect(runPipeline(pipeline, { connectors: noConnectors, steps: registry })).rejects.toMatchObject({ code: 'PIPELINE' });
    expect(ran).toBe(false);
  });
});

describe('StepRegistry', () => {
  it('refuses to register a type twice unless asked to replace it', () => {
    const registry = createStepRegistry();
    const handler = async () => ({ result: null });
    expect(() => registry.register('api_call', handler)).toThrow('step type "api_call" is already registered; pass { replace: true } to replace it');
    expect(registry.register('api_call', handler, { replace: true }).get('api_call')?.handler).toBe(handler);
  });
});
