import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { Cassette } from '../../../src/observability/cassette/store.js';
import { cassetteLayer, cassetteLayerFor } from '../../../src/observability/cassette/layer.js';
import { connectorConfigSchema } from '../../../src/registry/protocols.js';
import { cassetteFileSchema } from '../../../src/observability/cassette/format.js';
import { requestDifferences } from '../../../src/observability/cassette/match.js';
import { startServer } from '../../support/index.js';
import { sendJson, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function recorded(cassette: Cassette, options: RestConnectorOptions): RestConnector {
  const connector: RestConnector = createRestConnector(options, {
    layers: [cassetteLayer('rest', { cassette, connector: options, redactor: () => connector.redactor })],
  });
  return connector;
}

async function numberServer() {
  const server = await startServer();
  server.route('GET', '/n', (req, res) => {
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
    // Later requests answer sooner, so calls finish out of the order they started in.
    setTimeout(() => sendJson(res, 200, { n }), Math.max(0, 20 - n));
  });
  return server;
}

describe('the cassette store', () => {
  it('keeps every file whole when connectors and cassettes record into one folder at once', async () => {
    const dir = await tempDir();
    const server = await numberServer();
    const cassettes = [new Cassette({ dir, mode: 'record' }), new Cassette({ dir, mode: 'record' })];
    const connectors = cassettes.flatMap((cassette) => ['alpha', 'beta'].map((name) => recorded(cassette, { name, baseUrl: server.url })));
    const calls = connectors.flatMap((c) => Array.from({ length: 25 }, (_, n) => c.get('/n').query({ n }).send()));
    // Writes race the calls and each other: two cassettes flush the same files over and over,
    // while a reader checks that every version of a file it sees is whole.
    const flushes = Array.from({ length: 15 }, (_, i) => sleep(i * 2).then(() => Promise.all(cassettes.map((c) => c.flush()))));
    let done = false;
    let reads = 0;
    const reader = (async () => {
      while (!done) {
        for (const name of ['alpha', 'beta']) {
          const text = await readFile(join(dir, `${name}.cassette.json`), 'utf8').catch(() => undefined);
          if (text === undefined) continue;
          cassetteFileSchema.parse(JSON.parse(text));
          reads++;
        }
        await sleep(0);
      }
    })();
    await Promise.all([...calls, ...flushes]);
    await Promise.all([...connectors.map((c) => c.disconnect()), ...cassettes.map((c) => c.close())]);
    done = true;
    await reader;
    await server.close();
    expect(reads).toBeGreaterThan(0);

    expect((await readdir(dir)).sort()).toEqual(['alpha.cassette.json', 'beta.cassette.json']);
    for (const name of ['alpha', 'beta']) {
      const file = cassetteFileSchema.parse(JSON.parse(await readFile(join(dir, `${name}.cassette.json`), 'utf8')));
      expect(file.connector).toBe(name);
      // In the order the calls started, not the order they finished.
      expect(file.interactions.map((i) => (i.request as { query: { n: string } }).query.n)).toEqual(Array.from({ length: 25 }, (_, n) => String(n)));
    }
  });

  it('writes everything recorded so far at each flush, and the final file at disconnect', async () => {
    const dir = await tempDir();
    const server = await numberServer();
    const cassette = new Cassette({ dir, mode: 'record' });
    const api = recorded(cassette, { name: 'api', baseUrl: server.url });
    const count = async (): Promise<number> => (JSON.parse(await readFile(cassette.fileOf('api'), 'utf8')) as { interactions: unknown[] }).interactions.length;
    await api.get('/n').query({ n: 1 }).send();
    await cassette.flush('api');
    expect(await count()).toBe(1);
    await api.get('/n').query({ n: 2 }).send();
    await api.disconnect();
    expect(await count()).toBe(2);
    await server.close();
  });

  it('refuses an unreadable cassette, one of another protocol, and a bad mode, with CONFIG naming the file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'api.cassette.json');
    const replay = (): RestConnector => recorded(new Cassette({ dir, mode: 'replay' }), { name: 'api', baseUrl: 'http://127.0.0.1:9' });

    await writeFile(file, '{ "cassette": 1, ');
    await expect(replay().connect()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(new RegExp(`^cassette file ${file} is not valid JSON .*--record ${dir}$`)) });
    await writeFile(file, JSON.stringify({ cassette: 1, connector: 'api', protocol: 'rest', recordedAt: 'x', interactions: [{ attempt: 1, request: {} }] }));
    await expect(replay().connect()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('interactions[0]: must hold either a response or an error') });
    await writeFile(file, JSON.stringify({ cassette: 1, connector: 'api', protocol: 'graphql', recordedAt: 'x', interactions: [] }));
    await expect(replay().connect()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('holds graphql calls but connector "api" is rest') });
    expect(() => new Cassette({ dir, mode: 'play' as 'record' })).toThrow(expect.objectContaining({ code: 'CONFIG', message: 'cassette mode: must be "record" or "replay", got "play"' }));
  });

  it('gives a layer to the config of every protocol, in both modes, and none to a protocol it does not know', () => {
    const parse = (input: Record<string, unknown>) => connectorConfigSchema.parse(input);
    const configs = [
      parse({ name: 'users', baseUrl: 'http://127.0.0.1:9' }),
      parse({ name: 'books', protocol: 'graphql', baseUrl: 'http://127.0.0.1:9' }),
      parse({ name: 'catalog', protocol: 'grpc', target: '127.0.0.1:9', tls: false, reflection: true, service: 'x.v1.Catalog' }),
      parse({ name: 'events', protocol: 'websocket', baseUrl: 'ws://127.0.0.1:9' }),
    ];
    for (const mode of ['record', 'replay'] as const) {
      const cassette = new Cassette({ dir: 'unused', mode });
      const layers = configs.map((c) => cassetteLayerFor(c, { cassette }));
      expect(layers.map((l) => l?.name)).toEqual(['cassette', 'cassette', 'cassette', 'cassette']);
      expect(layers.map((l) => Object.keys(l ?? {}).filter((k) => k.endsWith('Hook')))).toEqual([[], [], ['grpcCallHook'], ['websocketMessageHook']]);
      expect(cassetteLayerFor({ name: 'odd', protocol: 'smtp' }, { cassette })).toBeUndefined();
    }
  });

  it('documents files that the schema accepts, one per kind of protocol', async () => {
    const doc = await readFile(new URL('../../../docs/cassettes.md', import.meta.url), 'utf8');
    const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => cassetteFileSchema.parse(JSON.parse(m[1] ?? 'null')));
    expect(examples.map((e) => [e.connector, e.protocol])).toEqual([
      ['users', 'rest'],
      ['catalog_grpc', 'grpc'],
      ['events', 'websocket'],
    ]);
  });

  it('matches a redacted value against any value, and against none for a member', () => {
    const recorded = { path: '/keys/[REDACTED]', query: { api_key: '[REDACTED]', page: '2' }, body: { json: { password: '[REDACTED]', user: 'ada' } } };
    expect(requestDifferences(recorded, { path: '/keys/k-1', query: { page: '2' }, body: { json: { password: 'pw', user: 'ada' } } })).toEqual([]);
    expect(requestDifferences(recorded, { path: '/keys/k-1', query: { page: '3', extra: '1' }, body: { json: { user: 'bob' } } })).toEqual([
      'query.page',
      'query.extra',
      'body.json.user',
    ]);
    expect(requestDifferences({ path: '/a' }, { path: '/a', query: { x: '1' } })).toEqual(['query']);
  });
});
