import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/core/errors.js';
import { formatError, problemsOf } from '../../src/cli/format-error.js';
import { exitCodeFor } from '../../src/cli/io.js';
import { findSyntaxError, parseJsonText } from '../../src/cli/json-syntax.js';
import { problemPath } from '../../src/cli/problem-path.js';
import { attachSource } from '../../src/cli/sourced-error.js';
import { table } from '../../src/cli/summary.js';
import { parseParams, parseQuery } from '../../src/cli/values.js';

describe('JSON syntax errors', () => {
  it.each([
    ['{"a": 1,}', 8, 'a trailing comma before "}"; remove the comma'],
    ['{"a": 1', 7, 'the file ends before the closing "}"; add it'],
    ['', 0, 'the file is empty or ends where a value should be'],
    ['[1,2] x', 6, 'unexpected "x" after the end of the JSON value; remove it'],
    ['{"a": tru}', 6, 'unexpected "t"; expected a value (string, number, object, list, true, false or null)'],
    ['{"a": "x\ny"}', 8, 'a line break or control character inside a string; write it as \\n or close the string with "'],
    ['{"a": "\\q"}', 7, 'invalid escape "\\q" in a string; escape a backslash as \\\\'],
    ["{'a': 1}", 1, 'expected a property name in double quotes, found "\'"'],
    ['{"a" 1}', 5, 'expected ":" after the property name, found "1"'],
    ['{"a": "open', 6, 'a string is never closed; add the closing "'],
  ])('finds the error in %j', (text, offset, problem) => {
    expect(JSON.parse.bind(JSON, text)).toThrow();
    expect(findSyntaxError(text)).toEqual({ offset, problem });
  });

  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}', ' [] ', '"s"', '0']) expect(findSyntaxError(text)).toBeUndefined();
  });

  it('throws the given code with line and column and never echoes the text', () => {
    const text = '{\n  "token": "s3cr3t-value",\n  oops\n}';
    expect(() => parseJsonText(text, 'p.json', 'PIPELINE')).toThrow(
      expect.objectContaining({ code: 'PIPELINE', message: 'p.json:3:3 not valid JSON: expected a property name in double quotes, found "o"' }),
    );
  });
});

describe('problem paths', () => {
  const ids = ['load', 'merge'];
  it.each([
    ['steps[1] ("merge").type: unknown step type', ['steps', 1, 'type']],
    ['step "merge" config.body.prices: {{ x }} cannot be resolved', ['steps', 1, 'config', 'body', 'prices']],
    ['step "load": GET http://127.0.0.1:1/x answered 404', ['steps', 0]],
    ['flow.paths[2].to: "x" is not a step id', ['flow', 'paths', 2, 'to']],
    ['pipeline outputs.report_id: {{ merge.x }} cannot be resolved', ['outputs', 'report_id']],
    ['flow: the steps a → b → a form a cycle', ['flow']],
  ])('%s', (problem, path) => {
    expect(problemPath(problem, ids)).toEqual(path);
  });

  it('finds no path in ordinary text or for an unknown step', () => {
    expect(problemPath('the run failed', ids)).toBeUndefined();
    expect(problemPath('step "ghost" inputs.x: bad', ids)).toBeUndefined();
  });
});

describe('error lines', () => {
  it('gives one line per listed problem, placed in the attached file', () => {
    const error = new ConnectorError('PIPELINE', 'invalid pipeline "p": 2 problems\n  - flow.start_at: bad\n  - steps[0] ("a").type: bad');
    attachSource(error, { file: 'p.json', locate: (problem) => (problem.startsWith('flow') ? { line: 9, column: 3 } : undefined) });
    expect(formatError(error, {})).toEqual(['error PIPELINE: p.json:9:3 flow.start_at: bad', 'error PIPELINE: p.json: steps[0] ("a").type: bad']);
    expect(problemsOf(new Error('one thing'))).toEqual(['one thing']);
  });

  it('adds the cause chain with --verbose, and calls foreign errors UNEXPECTED', () => {
    const error = new ConnectorError('STEP', 'step failed', { cause: new ConnectorError('NETWORK', 'socket hang up', { cause: new Error('ECONNRESET') }) });
    expect(formatError(error, { verbose: true })).toEqual(['error STEP: step failed', '  caused by NETWORK: socket hang up', '  caused by UNEXPECTED: ECONNRESET']);
    expect(formatError(new TypeError('x is undefined'), {})).toEqual(['error UNEXPECTED: x is undefined']);
  });

  it('maps codes to exit codes: the input is wrong (2) or the run failed (1)', () => {
    expect(['CONFIG', 'PIPELINE', 'TEMPLATE', 'UNKNOWN_CONNECTOR'].map(exitCodeFor)).toEqual([2, 2, 2, 2]);
    expect(['STEP', 'TIMEOUT', 'HTTP_STATUS', undefined].map(exitCodeFor)).toEqual([1, 1, 1, 1]);
  });
});

describe('command-line values', () => {
  it('keeps JSON types of --param values and strings otherwise', () => {
    expect(parseParams(['n=3', 'flag=false', 'list=["a"]', 'name=ada', 'zip=01234', 'eq=a=b', 'empty='])).toEqual({
      n: 3,
      flag: false,
      list: ['a'],
      name: 'ada',
      zip: '01234',
      eq: 'a=b',
      empty: '',
    });
  });

  it('repeats --query names as lists', () => {
    expect(parseQuery(['tag=a', 'tag=b', 'limit=2'])).toEqual({ tag: ['a', 'b'], limit: '2' });
  });

  it('lays out tables with numbers right-aligned', () => {
    expect(table([['STEP', 'MS'], ['load', '5'], ['merge', '120']])).toEqual(['STEP    MS', 'load     5', 'merge  120']);
  });
});
