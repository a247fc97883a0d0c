import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConnectorsFile, parseConnectorsText } from '../../src/registry/load.js';
import type { ReportedIssue } from '../../src/registry/report.js';
import { lines, tempFiles, thrown, thrownSync } from './files.js';

let files: Awaited<ReturnType<typeof tempFiles>>;
beforeEach(async () => {
  files = await tempFiles();
});
afterEach(() => files.cleanup());

const issuesOf = (error: { details: Record<string, unknown> }) => error.details['issues'] as ReportedIssue[];

describe('loading a connectors file', () => {
  it('loads a YAML file, filling defaults and keeping secret references unresolved', async () => {
    const path = await files.write(
      'connectors.yaml',
      lines(
        'connectors:',
        '  - name: users_api',
        '    protocol: rest',
        '    baseUrl: http://127.0.0.1:8080/v1',
        '    auth: { type: bearer, token: "${env:USERS_TOKEN}" }',
        '    retry: { maxAttempts: 4 }',
        '    rateLimit: { perSecond: 20, burst: 40 }',
        '  - name: billing',
        '    baseUrl: http://127.0.0.1:8081',
      ),
    );
    const loaded = await loadConnectorsFile(path);
    expect(loaded.connectors.map((c) => c.name)).toEqual(['users_api', 'billing']);
    const [users, billing] = loaded.connectors;
    expect(users?.auth).toEqual({ type: 'bearer', token: '${env:USERS_TOKEN}' });
    expect(users?.retry.maxAttempts).toBe(4);
    expect(users?.rateLimit).toMatchObject({ perSecond: 20, burst: 40 });
    expect(billing?.protocol).toBe('rest');
    expect(billing?.timeout.total).toBe(60_000);
    expect(loaded.sources).toEqual({ users_api: `${path}:2:5`, billing: `${path}:8:5` });
  });

  it('loads the same connectors from JSON', async () => {
    const json = { connectors: [{ name: 'users_api', baseUrl: 'http://127.0.0.1:8080', timeout: { total: 5000 } }] };
    const path = await files.write('connectors.json', JSON.stringify(json, null, 2));
    const loaded = await loadConnectorsFile(path);
    expect(loaded.connectors[0]).toMatchObject({ name: 'users_api', protocol: 'rest', timeout: { total: 5000, connect: 10_000 } });
    expect(loaded.sources['users_api']).toBe(`${path}:3:5`);
  });

  it('merges defaults under every connector, the connector winning field by field', () => {
    const loaded = parseConnectorsText(
      lines(
        'defaults:',
        '  timeout: { connect: 2000, total: 9000 }',
        '  headers: { x-team: data }',
        '  retry: { maxAttempts: 5, baseDelay: 50 }',
        'connectors:',
        '  - name: a',
        '    baseUrl: http://127.0.0.1:1',
        '    timeout: { total: 3000 }',
        '    headers: { x-trace: "1" }',
        '  - name: b',
        '    baseUrl: http://127.0.0.1:2',
        '    retry: { maxAttempts: 2 }',
      ),
    );
    const [a, b] = loaded.connectors;
    expect(a?.timeout).toMatchObject({ connect: 2000, total: 3000 });
    expect((a as { headers?: unknown } | undefined)?.headers).toEqual({ 'x-team': 'data', 'x-trace': '1' });
    expect(a?.retry).toMatchObject({ maxAttempts: 5, baseDelay: 50 });
    expect(b?.timeout).toMatchObject({ connect: 2000, total: 9000 });
    expect(b?.retry).toMatchObject({ maxAttempts: 2, baseDelay: 50 });
  });

  it('reports a YAML syntax error with file, line and column', async () => {
    const path = await files.write('broken.yaml', lines('connectors:', '  - name: a', '   baseUrl: http://127.0.0.1:1'));
    const error = await thrown(loadConnectorsFile(path));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain(`invalid YAML in ${path}`);
    expect(error.message).toContain(`${path}:3:1`);
    expect(error.details).toMatchObject({ file: path, line: 3, column: 1 });
  });

  it('reports a JSON syntax error with line and column, even one YAML would accept', async () => {
    const path = await files.write('broken.json', '{\n  "connectors": [\n    { "name": "a", "baseUrl": "http://127.0.0.1:1", }\n  ]\n}\n');
    const error = await thrown(loadConnectorsFile(path));
    expect(error.message).toContain(`invalid JSON in ${path}`);
    expect(error.details).toMatchObject({ file: path, line: 3, column: 53 });
  });

  it('reports every invalid field at once, each with its path, line and column', async () => {
    const path = await files.write(
      'connectors.yaml',
      lines(
        'connectors:',
        '  - name: users',
        '    baseUrl: http://127.0.0.1:1',
        '    timeout: { connect: -5 }',
        '  - name: orders',
        '    baseUrl: ftp://127.0.0.1',
        '    retry:',
        '      maxAttempts: 50',
        '    baseURL: http://127.0.0.1:2',
        '  - name: bad name',
        '    protocol: soap',
        '    baseUrl: http://127.0.0.1:3',
      ),
    );
    const error = await thrown(loadConnectorsFile(path));
    expect(error.code).toBe('CONFIG');
    const issues = issuesOf(error).map(({ path: p, line, column }) => ({ path: p, line, column }));
    expect(issues).toEqual([
      { path: 'connectors[0].timeout.connect', line: 4, column: 25 },
      { path: 'connectors[1].baseUrl', line: 6, column: 14 },
      { path: 'connectors[1].retry.maxAttempts', line: 8, column: 20 },
      { path: 'connectors[1].baseURL', line: 9, column: 5 },
      { path: 'connectors[2].protocol', line: 11, column: 15 },
    ]);
    expect(error.message).toContain(`${path}:8:20 connectors[1].retry.maxAttempts: must be at most 20`);
    expect(error.message).toContain('connectors[1].baseURL: unknown field "baseURL"; did you mean "baseUrl"?');
    expect(error.message).toContain('connectors[2].protocol: unknown protocol "soap"; use one of rest');
    expect(error.message).toMatch(/^invalid connectors file .*: 5 problems/);
  });

  it('points at an invalid connector name on its line', () => {
    const error = thrownSync(() => parseConnectorsText(lines('connectors:', '  - name: "bad name"', '    baseUrl: http://127.0.0.1:3')));
    expect(issuesOf(error)).toEqual([
      expect.objectContaining({ path: 'connectors[0].name', line: 2, column: 11, message: expect.stringContaining('use letters, digits') }),
    ]);
  });

  it('rejects duplicate names, pointing at both places', () => {
    const error = thrownSync(() =>
      parseConnectorsText(
        lines('connectors:', '  - name: users', '    baseUrl: http://127.0.0.1:1', '  - name: users', '    baseUrl: http://127.0.0.1:2'),
        'dup.yaml',
      ),
    );
    expect(issuesOf(error)).toEqual([expect.objectContaining({ path: 'connectors[1].name', line: 4, column: 11 })]);
    expect(error.message).toContain('dup.yaml:4:11 connectors[1].name: duplicate name "users", already used by connectors[0]');
    expect(error.message).toContain('(dup.yaml:2:11)');
  });

  it('reports an error in defaults once, at defaults, not in every connector', () => {
    const error = thrownSync(() =>
      parseConnectorsText(
        lines('defaults:', '  timeout: { connect: 0 }', '  tls: {}', 'connectors:', '  - { name: a, baseUrl: "http://127.0.0.1:1" }', '  - { name: b, baseUrl: "http://127.0.0.1:2" }'),
      ),
    );
    expect(issuesOf(error).map((i) => [i.path, i.line])).toEqual([
      ['defaults.timeout.connect', 2],
      ['defaults.tls', 3],
    ]);
  });

  it('refuses a secret reference where nothing would resolve it', () => {
    const error = thrownSync(() =>
      parseConnectorsText(
        lines(
          'connectors:',
          '  - name: a',
          '    baseUrl: http://127.0.0.1:1',
          '    userAgent: ${env:AGENT}',
          '    headers: { authorization: "Bearer ${env:TOKEN}" }',
        ),
      ),
    );
    expect(issuesOf(error).map((i) => [i.path, i.line])).toEqual([
      ['connectors[0].userAgent', 4],
      ['connectors[0].headers.authorization', 5],
    ]);
    expect(error.message).toContain('resolved only in auth fields and header values');
    expect(error.message).toContain('must be the whole value');
  });

  it('explains an empty file, a file without a list, and a missing file', async () => {
    expect(thrownSync(() => parseConnectorsText('')).message).toContain('the file is empty');
    expect(thrownSync(() => parseConnectorsText('- name: a\n')).message).toContain('must be a mapping with a "connectors:" list');
    const noList = thrownSync(() => parseConnectorsText('connectors: users\n'));
    expect(issuesOf(noList)).toEqual([expect.objectContaining({ path: 'connectors', line: 1, column: 13 })]);
    const missing = await thrown(loadConnectorsFile(`${files.dir}/nope.yaml`));
    expect(missing.code).toBe('CONFIG');
    expect(missing.message).toContain('it does not exist');
  });

  it('accepts YAML anchors and merge keys for shared settings', () => {
    const loaded = parseConnectorsText(
      lines(
        'connectors:',
        '  - &first { name: a, baseUrl: "http://127.0.0.1:1", timeout: { total: 4000 } }',
        '  - { <<: *first, name: b }',
      ),
    );
    expect(loaded.connectors.map((c) => [c.name, c.baseUrl, c.timeout.total])).toEqual([
      ['a', 'http://127.0.0.1:1', 4000],
      ['b', 'http://127.0.0.1:1', 4000],
    ]);
  });
});
