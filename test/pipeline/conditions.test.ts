import { describe, expect, it } from 'vitest';
import { evaluateCondition, isTruthy } from '../../src/pipeline/conditions.js';
import type { Condition, ConditionOperator } from '../../src/pipeline/index.js';
import type { TemplateScope } from '../../src/pipeline/render.js';
import { createStepRegistry, runPipeline } from '../../src/pipeline/index.js';
import { noConnectors, pipelineOf } from './support/helpers.js';

const scope: TemplateScope = {
  parameters: { flag: true, off: false, mode: 'fast', empty: [] },
  pipelineInput: { tier: 'gold' },
  stepIds: new Set(['load', 'gone']),
  results: new Map<string, unknown>([['load', { user: { post_count: 3, name: 'Ada', tags: ['x', 'y'], meta: { a: 1 }, note: null } }]]),
  skipped: new Set(['gone']),
};

const expression = (source: string, operator: ConditionOperator, value?: unknown): Condition => ({
  type: 'expression',
  config: value === undefined ? { source, operator } : { source, operator, value },
});
const holds = (condition: Condition) => evaluateCondition(condition, scope, 'flow.paths[0]', 'load');

describe('expression conditions', () => {
  it.each<[ConditionOperator, unknown, boolean, unknown?]>([
    ['equals', 3, true],
    ['equals', '3', false],
    ['not_equals', 4, true],
    ['not_equals', 3, false],
    ['greater_than', 2, true],
    ['greater_than', 3, false],
    ['greater_than_or_equal', 3, true],
    ['greater_than_or_equal', 4, false],
    ['less_than', 4, true],
    ['less_than', 3, false],
    ['less_than_or_equal', 3, true],
    ['less_than_or_equal', 2, false],
    ['greater_than', '2', true], // text from a command line still compares as a number
  ])('result.user.post_count %s %j is %s', (operator, value, expected) => {
    expect(holds(expression('result.user.post_count', operator, value))).toBe(expected);
  });

  it('contains: substring, list member, object key', () => {
    expect(holds(expression('result.user.name', 'contains', 'Ad'))).toBe(true);
    expect(holds(expression('result.user.name', 'contains', 'Bo'))).toBe(false);
    expect(holds(expression('result.user.tags', 'contains', 'y'))).toBe(true);
    expect(holds(expression('result.user.tags', 'contains', 'z'))).toBe(false);
    expect(holds(expression('result.user.meta', 'contains', 'a'))).toBe(true);
  });

  it('equals_ignore_case compares text without case', () => {
    expect(holds(expression('result.user.name', 'equals_ignore_case', 'ADA'))).toBe(true);
    expect(holds(expression('result.user.name', 'equals_ignore_case', 'Eve'))).toBe(false);
  });

  it('exists is false for a missing field or null, and "value": false inverts it', () => {
    expect(holds(expression('result.user.name', 'exists'))).toBe(true);
    expect(holds(expression('result.user.missing', 'exists'))).toBe(false);
    expect(holds(expression('result.user.note', 'exists'))).toBe(false);
    expect(holds(expression('result.user.missing', 'exists', false))).toBe(true);
  });

  it('reads parameters, pipeline_input and steps.<id>.result sources; a skipped step reads as null', () => {
    expect(holds(expression('parameters.mode', 'equals', 'fast'))).toBe(true);
    expect(holds(expression('pipeline_input.tier', 'equals', 'gold'))).toBe(true);
    expect(holds(expression('steps.load.result.user.post_count', 'greater_than', 1))).toBe(true);
    expect(holds(expression('steps.gone.result.count', 'greater_than', 1))).toBe(false);
    expect(holds(expression('steps.gone.result', 'equals', null))).toBe(true);
  });

  it('throws TEMPLATE for a missing source field rather than quietly not firing', () => {
    expect(() => holds(expression('result.user.post_cuont', 'greater_than', 0))).toThrow(
      'flow.paths[0]: condition source "result.user.post_cuont" cannot be resolved: "user" in the result of step "load" has no field "post_cuont"',
    );
  });

  it('throws PIPELINE when values cannot be ordered', () => {
    expect(() => holds(expression('result.user.meta', 'less_than', 1))).toThrow(/cannot compare \{"a":1\} with 1 using "less_than"/);
  });
});

describe('parameter conditions', () => {
  it('fire when the parameter is truthy, or equals the given value', () => {
    const param = (parameter: string, value?: unknown): Condition => ({ type: 'parameter', config: value === undefined ? { parameter } : { parameter, value } });
    expect(holds(param('flag'))).toBe(true);
    expect(holds(param('off'))).toBe(false);
    expect(holds(param('empty'))).toBe(false);
    expect(holds(param('mode', 'fast'))).toBe(true);
    expect(holds(param('mode', 'slow'))).toBe(false);
  });

  it('always fires', () => {
    expect(holds({ type: 'always' })).toBe(true);
  });

  it('uses Python truthiness like ia_modules', () => {
    expect([0, '', null, [], {}, false].map(isTruthy)).toEqual([false, false, false, false, false, false]);
    expect([1, 'x', [0], { a: 0 }, true].map(isTruthy)).toEqual([true, true, true, true, true]);
  });
});

describe('conditions in a run', () => {
  it('fires every edge whose condition holds', async () => {
    const started: string[] = [];
    const steps = createStepRegistry().register('record', async (ctx) => {
      started.push(ctx.stepId);
      return { result: { ...ctx.config } };
    });
    const when = (to: string, operator: ConditionOperator, value: unknown) => ({
      from: 'start',
      to,
      condition: { type: 'expression', config: { source: 'result.count', operator, value } },
    });
    const pipeline = pipelineOf(
      [{ id: 'start', config: { count: 2 } }, { id: 'many' }, { id: 'some' }, { id: 'none' }],
      [when('many', 'greater_than', 1), when('some', 'greater_than_or_equal', 1), when('none', 'equals', 0)],
    );
    const result = await runPipeline(pipeline, { connectors: noConnectors, steps });
    expect(started.sort()).toEqual(['many', 'some', 'start']);
    expect(result.steps['none']?.status).toBe('skipped');
  });
});
