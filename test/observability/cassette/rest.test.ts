import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import { cassetteLayer } from '../../../src/observability/cassette/layer.js';
import { json, neverRespond, redirect, startServer, text, type ScriptedServer } from '../../support/index.js';
import { outcomeOf, sendJson, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

function recorded(cassette: Cassette, options: RestConnectorOptions): RestConnector {
  const connector: RestConnector = createRestConnector(options, {
    layers: [cassetteLayer('rest', { cassette, connector: options, redactor: () => connector.redactor })],
  });
  return connector;
}

async function deadUrl(): Promise<string> {
  const server = await startServer();
  const url = server.url;
  await server.close();
  return url;
}

function scriptedUsers(server: ScriptedServer): void {
  server.route('GET', '/v1/users', (req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    sendJson(res, 200, { page: query.get('page'), tags: query.getAll('tag') }, { 'x-request-id': 'r-1', 'set-cookie': 'sid=abc123456' });
  });
  server.route('POST', '/v1/users', (_req, res, { body }) => sendJson(res, 201, { created: JSON.parse(body.toString('utf8')) }));
  server.route('GET', '/v1/users/ghost', json(404, { error: 'no such user' }));
  server.route('GET', '/v1/flaky', [json(503, { error: 'busy' }), json(200, { ok: true })]);
  server.route('GET', '/v1/readme', text(200, 'plain words'));
  server.route('GET', '/v1/slow', neverRespond());
  server.route('GET', '/v1/old-readme', redirect(301, '/v1/readme'));
  server.route('GET', '/v1/logo', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': 4 });
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
}

async function runScript(users: RestConnector, down: RestConnector): Promise<unknown[]> {
  const retries: number[] = [];
  users.on('retry', (e) => retries.push(e.attempt));
  down.on('retry', (e) => retries.push(e.attempt));
  const outcomes = [
    await outcomeOf(users.get('/users').query({ tag: ['b', 'a'], page: 2 }).send()),
    await outcomeOf(users.post('/users').json({ roles: ['admin'], name: 'Ada' }).send()),
    await outcomeOf(users.get('/users/{id}', { params: { id: 'ghost' } }).send()),
    await outcomeOf(users.get('/users/{id}', { params: { id: 'ghost' } }).send().then((r) => r.throwIfNotOk())),
    await outcomeOf(users.get('/flaky').send()),
    await outcomeOf(users.get('/readme').send()),
    await outcomeOf(users.get('/logo').send()),
    await outcomeOf(down.get('/ping').send()),
    await outcomeOf(users.get('/slow').timeout(60).send()),
    await outcomeOf(users.get('/old-readme').send()),
  ];
  const streamed = await users.get('/readme').responseType('stream').send();
  const chunks: Buffer[] = [];
  for await (const chunk of streamed.body as Readable) chunks.push(chunk as Buffer);
  return [...outcomes, Buffer.concat(chunks).toString('utf8'), { retries }];
}

async function session(mode: CassetteMode, dir: string, usersOptions: RestConnectorOptions, downOptions: RestConnectorOptions): Promise<unknown[]> {
  const cassette = new Cassette({ dir, mode });
  const users = recorded(cassette, usersOptions);
  const down = recorded(cassette, downOptions);
  try {
    return await runScript(users, down);
  } finally {
    await Promise.all([users.disconnect(), down.disconnect()]);
  }
}

describe('REST cassettes', () => {
  it('replays a recorded run with the server gone: same responses, attempts, retries and errors', async () => {
    const dir = await tempDir();
    const server = await startServer();
    scriptedUsers(server);
    const retry = { maxAttempts: 3, baseDelay: 1, maxDelay: 2 };
    const usersOptions = { name: 'users', baseUrl: `${server.url}/v1`, retry };
    const downOptions = { name: 'down', baseUrl: await deadUrl(), retry: { ...retry, maxAttempts: 2 } };

    const live = await session('record', dir, usersOptions, downOptions);
    const sent = server.requests.length;
    await server.close();
    const replayed = await session('replay', dir, usersOptions, downOptions);

    // The one difference: a cookie is a secret, stored (and so replayed) redacted.
    const first = live[0] as { response: { headers: Record<string, unknown> } };
    expect(first.response.headers['set-cookie']).toBe('sid=abc123456');
    first.response.headers['set-cookie'] = '[REDACTED]';
    expect(replayed).toEqual(live);
    expect(sent).toBe(12);
    // The 503 and its retry, the refused connection and its retry, both replayed as attempts.
    expect(live.at(-1)).toEqual({ retries: [2, 2] });
    expect(live[4]).toMatchObject({ response: { status: 200, attempts: 2, body: { ok: true } } });
    expect(live[3]).toMatchObject({ error: { code: 'HTTP_STATUS', status: 404 } });
    expect(live[7]).toMatchObject({ error: { code: 'CONNECTION_REFUSED', retryable: true } });
    expect(live[6]).toMatchObject({ response: { body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) } });
    expect(live[8]).toMatchObject({ error: { code: 'TIMEOUT', message: expect.stringContaining('60 ms') } });
    expect(live[9]).toMatchObject({ response: { status: 200, body: 'plain words', url: `${server.url}/v1/readme` } });
  });

  it('writes a readable file: relative paths, sorted query, normalised JSON body, no hop-by-hop headers', async () => {
    const dir = await tempDir();
    const server = await startServer();
    scriptedUsers(server);
    const cassette = new Cassette({ dir, mode: 'record' });
    const options = { name: 'users', baseUrl: `${server.url}/v1`, retry: { maxAttempts: 3, baseDelay: 1, maxDelay: 2 } };
    const users = recorded(cassette, options);
    await users.get('/users').query({ tag: ['b', 'a'], page: 2 }).send();
    await users.post('/users').json({ roles: ['admin'], name: 'Ada' }).send();
    await users.get('/flaky').send();
    await users.disconnect();
    await server.close();

    const text = await readFile(join(dir, 'users.cassette.json'), 'utf8');
    expect(text).toMatch(/^\{\n {2}"cassette": 1,\n {2}"connector": "users",\n {2}"protocol": "rest",/);
    type Stored = { attempt: number; request: { query: Record<string, unknown>; body: unknown }; response: { status: number; headers: Record<string, unknown>; body: unknown; durationMs: unknown } };
    const file = JSON.parse(text) as { baseUrl: string; interactions: Stored[] };
    expect(file.baseUrl).toBe(`${server.url}/v1`);
    const [list, create, busy, ok] = file.interactions;
    expect(list?.request).toEqual({ method: 'GET', path: '/users', query: { page: '2', tag: ['b', 'a'] } });
    expect(Object.keys(list?.request.query ?? {})).toEqual(['page', 'tag']);
    expect(list?.response).not.toHaveProperty('url');
    expect(list?.response.headers).not.toHaveProperty('connection');
    expect(list?.response.headers).not.toHaveProperty('keep-alive');
    expect(list?.response.headers['set-cookie']).toBe('[REDACTED]');
    expect(list?.response.body).toEqual({ json: { page: '2', tags: ['b', 'a'] } });
    expect(typeof list?.response.durationMs).toBe('number');
    expect(JSON.stringify(create?.request.body)).toBe('{"json":{"name":"Ada","roles":["admin"]}}');
    expect([busy?.attempt, busy?.response.status, ok?.attempt, ok?.response.status]).toEqual([1, 503, 2, 200]);
    expect(file.interactions).toHaveLength(4);
  });

  it('answers repeated identical requests in recorded order, then repeats the last', async () => {
    const dir = await tempDir();
    const server = await startServer();
    server.route('GET', '/counter', [json(200, { n: 1 }), json(200, { n: 2 })]);
    const options = { name: 'counter', baseUrl: server.url };
    const recording = recorded(new Cassette({ dir, mode: 'record' }), options);
    await recording.get('/counter').send();
    await recording.get('/counter').send();
    await recording.disconnect();
    await server.close();

    const replay = recorded(new Cassette({ dir, mode: 'replay' }), options);
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push((await replay.get('/counter').send()).body);
    await replay.disconnect();
    expect(bodies).toEqual([{ n: 1 }, { n: 2 }, { n: 2 }]);
  });

  it('refuses an unmatched request with CASSETTE_MISS naming the closest recorded one and what differs', async () => {
    const dir = await tempDir();
    const server = await startServer();
    scriptedUsers(server);
    const options = { name: 'users', baseUrl: `${server.url}/v1` };
    const recording = recorded(new Cassette({ dir, mode: 'record' }), options);
    await recording.get('/users').query({ page: 2 }).send();
    await recording.post('/users').json({ name: 'Ada' }).send();
    await recording.disconnect();
    await server.close();

    const replay = recorded(new Cassette({ dir, mode: 'replay' }), options);
    const file = join(dir, 'users.cassette.json');
    await expect(replay.get('/users').query({ page: 3 }).send()).rejects.toMatchObject({
      code: 'CASSETTE_MISS',
      message: expect.stringContaining(`no recorded answer for GET /users?page=3 in cassette ${file}; the closest recorded request is GET /users?page=2 (differs in query: page)`),
    });
    await expect(replay.post('/users').json({ name: 'Grace' }).send()).rejects.toMatchObject({
      code: 'CASSETTE_MISS',
      message: expect.stringContaining('the closest recorded request is POST /users with a body (differs in body: json.name)'),
    });
    const other = await replay.delete('/users/7').send().catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'CASSETTE_MISS', message: expect.stringContaining(`--record ${dir}`) });
    await replay.disconnect();
  });

  it('fails to connect with CONFIG naming the file and the fix when the cassette does not exist', async () => {
    const dir = await tempDir();
    const replay = recorded(new Cassette({ dir, mode: 'replay' }), { name: 'users', baseUrl: 'http://127.0.0.1:9' });
    const file = join(dir, 'users.cassette.json');
    await expect(replay.get('/users').send()).rejects.toMatchObject({
      code: 'CONFIG',
      message: `cassette file ${file} for connector "users" does not exist; record the run first with --record ${dir}`,
    });
    await replay.disconnect();
  });
});
