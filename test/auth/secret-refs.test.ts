import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { resolveSecretRef, resolveSecretRefs, isSecretRef } from '../../src/auth/secret-ref.js';
import { secretString } from '../../src/auth/secret-schema.js';
import { Redactor } from '../../src/observability/redact.js';
import { createRestConnector, type RestConnector } from '../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../src/protocols/rest/config.js';
import { echo, startServer, type ScriptedServer } from '../support/index.js';
import { createLeakWatch } from './support/leak-watch.js';

const FROM_ENV = 'env-secret-5d0c2a9e';
const FROM_FILE = 'file-secret-8e11b3f4';
const leaks = createLeakWatch();
leaks.secret(FROM_ENV, FROM_FILE);

let dir: string;
let server: ScriptedServer;
const connectors: RestConnector[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ia-auth-'));
  await writeFile(join(dir, 'token'), `${FROM_FILE}\n`);
  await writeFile(join(dir, 'crlf'), `${FROM_FILE}\r\n`);
  await writeFile(join(dir, 'empty'), '\n');
  await writeFile(join(dir, 'two-lines'), `${FROM_FILE}\nsecond-line\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  leaks.restore();
  expect(leaks.leaks()).toEqual([]);
});
beforeEach(async () => {
  server = await startServer();
  server.route('*', '/*', echo());
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(connectors.splice(0).map((c) => c.disconnect()));
  await server.close();
});

function connector(auth: RestConnectorOptions['auth']): RestConnector {
  const c = createRestConnector({ name: 'refs', baseUrl: server.url, auth, retry: { maxAttempts: 1 } });
  leaks.watch(c);
  connectors.push(c);
  return c;
}

describe('resolveSecretRef', () => {
  test('reads ${env:NAME}', async () => {
    await expect(resolveSecretRef('${env:A_TOKEN}', { env: { A_TOKEN: FROM_ENV } })).resolves.toBe(FROM_ENV);
  });

  test('reads ${file:/path} without its trailing line break', async () => {
    await expect(resolveSecretRef(`\${file:${join(dir, 'token')}}`)).resolves.toBe(FROM_FILE);
    await expect(resolveSecretRef(`\${file:${join(dir, 'crlf')}}`)).resolves.toBe(FROM_FILE);
  });

  test('returns a literal as is and registers every value on the redactor', async () => {
    const redactor = new Redactor();
    await resolveSecretRef('literal-secret-1', { redactor });
    expect(redactor.text('x literal-secret-1 y')).toBe('x [REDACTED] y');
  });

  test.each([
    ['${env:MISSING_TOKEN}', {}, '${env:MISSING_TOKEN} is not set; export MISSING_TOKEN or change auth.token'],
    ['${env:EMPTY_TOKEN}', { EMPTY_TOKEN: '' }, '${env:EMPTY_TOKEN} is set but empty; give EMPTY_TOKEN a value or change auth.token'],
  ])('%s is a CONFIG error naming the reference', async (ref, env, message) => {
    const error = await leaks.rejection(resolveSecretRef(ref, { env, field: 'auth.token' }));
    expect(error).toMatchObject({ code: 'CONFIG', message, details: { reference: ref, field: 'auth.token' } });
  });

  test.each([
    ['missing', 'does not exist; fix the file or change auth.token'],
    ['empty', 'is an empty file; write the secret into'],
    ['.', 'is a directory, not a file; fix the file or change auth.token'],
  ])('a file reference to %s is a CONFIG error', async (name, problem) => {
    const ref = `\${file:${join(dir, name)}}`;
    const error = await leaks.rejection(resolveSecretRef(ref, { field: 'auth.token' }));
    expect(error).toMatchObject({ code: 'CONFIG', message: expect.stringContaining(`${ref} ${problem}`) });
  });

  test('an unreadable file is a CONFIG error', async () => {
    // Root reads any file, so the permission failure is injected through the readFile option.
    const readFile = (): Promise<string> => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    const error = await leaks.rejection(resolveSecretRef('${file:/run/secrets/locked}', { readFile }));
    expect(error).toMatchObject({ code: 'CONFIG', message: '${file:/run/secrets/locked} cannot be read (permission denied); fix the file or change the reference' });
  });

  test('resolveSecretRefs resolves nested fields and names the path of a failure', async () => {
    const env = { A: 'value-of-a', B: undefined };
    const resolved = await resolveSecretRefs({ auth: { token: '${env:A}', list: ['${env:A}', 'plain'] }, n: 1, f: true }, { env });
    expect(resolved).toEqual({ auth: { token: 'value-of-a', list: ['value-of-a', 'plain'] }, n: 1, f: true });
    const error = await leaks.rejection(resolveSecretRefs({ connectors: [{ auth: { password: '${env:B}' } }] }, { env }));
    expect(error).toMatchObject({ code: 'CONFIG', message: '${env:B} is not set; export B or change connectors[0].auth.password' });
  });

  test('isSecretRef recognises references only', () => {
    expect([isSecretRef('${env:X}'), isSecretRef('${file:/x}'), isSecretRef('x${env:X}'), isSecretRef(3)]).toEqual([true, true, false, false]);
  });
});

describe('reference syntax is checked at parse', () => {
  test.each([
    ['${env:}', '"" is not a variable name'],
    ['${env:1ABC}', 'is not a variable name'],
    ['${file:relative/path}', 'the path must be absolute'],
    ['${vault:kv/x}', 'unknown reference kind "vault"'],
    ['${env:X', 'starts with "${" but is not a reference'],
  ])('%s', (value, message) => {
    const result = secretString().safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});

describe('through a connector', () => {
  test('resolves at connect, not at parse: a missing variable fails connect() naming it', async () => {
    const c = connector({ type: 'bearer', token: '${env:USERS_TOKEN}' });
    const error = await leaks.rejection(c.connect());
    expect(error).toMatchObject({ code: 'CONFIG', message: '${env:USERS_TOKEN} is not set; export USERS_TOKEN or change auth.token' });
    expect(c.state).toBe('idle');

    vi.stubEnv('USERS_TOKEN', FROM_ENV);
    const res = await c.get('/x').send();
    expect((res.body as { headers: Record<string, string> }).headers.authorization).toBe(`Bearer ${FROM_ENV}`);
  });

  test('a file reference feeds an api key; a secret file with two lines is refused', async () => {
    const c = connector({ type: 'api_key', apiKey: `\${file:${join(dir, 'token')}}` });
    expect(((await c.get('/x').send()).body as { headers: Record<string, string> }).headers['x-api-key']).toBe(FROM_FILE);

    const ref = `\${file:${join(dir, 'two-lines')}}`;
    const error = await leaks.rejection(connector({ type: 'api_key', apiKey: ref }).connect());
    expect(error).toMatchObject({ code: 'CONFIG', message: `auth.apiKey (${ref}) contains a line break, which a header value cannot carry; remove it (check the secret file for stray lines)` });
  });

  test('every secret field accepts references', async () => {
    vi.stubEnv('BASIC_USER', 'etl');
    vi.stubEnv('BASIC_PASSWORD', FROM_ENV);
    const c = connector({ type: 'basic', username: '${env:BASIC_USER}', password: '${env:BASIC_PASSWORD}' });
    const res = await c.get('/x').send();
    expect((res.body as { headers: Record<string, string> }).headers.authorization).toBe(`Basic ${Buffer.from(`etl:${FROM_ENV}`).toString('base64')}`);
  });
});
