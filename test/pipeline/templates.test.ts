import { describe, expect, it } from 'vitest';
import { parsePath } from '../../src/pipeline/path.js';
import { renderTemplates, type TemplateScope } from '../../src/pipeline/render.js';
import { parseTemplate } from '../../src/pipeline/template.js';

const scope: TemplateScope = {
  parameters: { name: 'ada', limit: 5, flags: { beta: true } },
  pipelineInput: { ids: [10, 20] },
  stepIds: new Set(['load', 'skipped_step']),
  results: new Map<string, unknown>([['load', { users: [{ id: 7, name: 'Ada' }], total: 1, 'x-key': 'dash' }]]),
  skipped: new Set(['skipped_step']),
};
const render = (value: unknown) => renderTemplates(value, scope, 'step "t"', ['inputs']);

describe('templates', () => {
  it('keep the type of a value when the string is exactly one template', () => {
    expect(render('{{ parameters.limit }}')).toBe(5);
    expect(render('{{parameters.flags}}')).toEqual({ beta: true });
    expect(render('{{ pipeline_input.ids }}')).toEqual([10, 20]);
    expect(render('{{ load.users[0] }}')).toEqual({ id: 7, name: 'Ada' });
  });

  it('stringify values inside longer text, objects as JSON', () => {
    expect(render('{{ parameters.name }} has {{ load.total }} user')).toBe('ada has 1 user');
    expect(render('flags={{ parameters.flags }}')).toBe('flags={"beta":true}');
    expect(render(' {{ parameters.limit }}')).toBe(' 5');
  });

  it('read steps.<id>.result.<path> and the short <id>.<path> form alike, with indexes and odd keys', () => {
    expect(render('{{ steps.load.result.users[0].name }}')).toBe('Ada');
    expect(render('{{ load.users[0].name }}')).toBe('Ada');
    expect(render('{{ load.users.0.id }}')).toBe(7);
    expect(render('{{ load.x-key }}')).toBe('dash');
    expect(render('{{ steps.load.result }}')).toEqual(scope.results.get('load'));
  });

  it('apply recursively through objects and lists, leaving other values alone', () => {
    expect(render({ a: ['{{ load.total }}', 2, null, true], b: { c: '{{ parameters.name }}' }, d: '/users/{id}' })).toEqual({
      a: [1, 2, null, true],
      b: { c: 'ada' },
      d: '/users/{id}',
    });
  });

  it('resolve a skipped step to null, whatever the path', () => {
    expect(render('{{ skipped_step.items }}')).toBeNull();
    expect(render('{{ steps.skipped_step.result.a.b[3] }}')).toBeNull();
  });

  it('never resolve a missing value to empty: each failure names the place and the template', () => {
    expect(() => render({ x: '{{ load.users[3].id }}' })).toThrow(
      'step "t" inputs.x: {{ load.users[3].id }} cannot be resolved: "users" in the result of step "load" has 1 item(s), so index [3] is out of range',
    );
    expect(() => render('{{ parameters.nme }}')).toThrow('{{ parameters.nme }} cannot be resolved: parameters has no field "nme"; its fields are: name, limit, flags');
    expect(() => render('{{ lod.users }}')).toThrow('"lod" is neither a step id nor parameters, pipeline_input or steps; step ids are: load, skipped_step');
    expect(() => render('{{ steps.nope.result }}')).toThrow('there is no step "nope"');
    expect(() => render('{{ steps.load.users }}')).toThrow('write steps.load.result.<field>');
    expect(() => render('{{ load.total.value }}')).toThrow('"total" in the result of step "load" is a number (1), so it has no field "value"');
  });

  it('reject malformed templates with code TEMPLATE', () => {
    const attempt = (text: string) => {
      try {
        parseTemplate(text, 'step "t" inputs.x');
        return undefined;
      } catch (error) {
        return error as { code: string; message: string };
      }
    };
    expect(attempt('{{ parameters.name')).toMatchObject({ code: 'TEMPLATE', message: expect.stringContaining('"{{" at position 0 is never closed') });
    expect(attempt('{{ a {{ b }}')).toMatchObject({ message: expect.stringContaining('never closed') });
    expect(attempt('{{ }}')).toMatchObject({ message: expect.stringContaining('{{ }} is empty') });
    expect(attempt('{{ name | upper }}')).toMatchObject({ message: expect.stringContaining('is not a reference (filters and expressions are not supported)') });
    expect(attempt('{{ a..b }}')?.message).toMatch(/^step "t" inputs\.x: malformed template/);
    expect(attempt('plain } text {')).toBeUndefined();
  });
});

describe('parsePath', () => {
  it('splits dots and [n] indexes', () => {
    expect(parsePath('steps.load.result.users[0].id')).toEqual(['steps', 'load', 'result', 'users', 0, 'id']);
    expect(parsePath('a[1][2]')).toEqual(['a', 1, 2]);
    expect(parsePath('a.[0]')).toBeUndefined();
    expect(parsePath('a[x]')).toBeUndefined();
    expect(parsePath('1abc')).toBeUndefined();
  });
});
