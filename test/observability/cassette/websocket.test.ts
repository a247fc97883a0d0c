import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import { cassetteLayer } from '../../../src/observability/cassette/layer.js';
import { replayConfig } from '../../../src/observability/cassette/replay-config.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import type { WebSocketConnectorOptions } from '../../../src/protocols/websocket/config.js';
import type { WebSocketConnector } from '../../../src/protocols/websocket/connector.js';
import { createWebSocketConnector } from '../../../src/protocols/websocket/create.js';
import { startWebSocketService } from '../../../src/sandbox/websocket-service.js';
import { startWsServer } from '../../support/ws-server.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
const TOKEN = 'ws-s3cret-token-0815';

type Options = Omit<WebSocketConnectorOptions, 'protocol'>;

function connector(mode: CassetteMode, dir: string, options: Options): { feed: WebSocketConnector; cassette: Cassette; opened: string[] } {
  const cassette = new Cassette({ dir, mode });
  const own = mode === 'replay' ? replayConfig(options) : options;
  const layer = cassetteLayer('websocket', { cassette, connector: { ...own, correlation: { field: 'id' } }, redactor: () => feed.redactor });
  const feed: WebSocketConnector = createWebSocketConnector(own, { layers: [layer] });
  const opened: string[] = [];
  feed.on('socketOpen', (event) => opened.push(event.url));
  return { feed, cassette, opened };
}

async function outcome(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

/** Requests (a generated id, an own id, an error reply), a subscription read with receive(), one read with stream(), then silence. */
async function session(feed: WebSocketConnector): Promise<Record<string, unknown>> {
  const sum = await feed.request({ method: 'add', params: [19, 23] });
  const own = await feed.request({ id: 'mine-1', method: 'echo', params: ['x'] });
  const unknown = await feed.request({ method: 'shout', params: [] });
  await feed.send({ type: 'subscribe', topic: 'ACME', count: 3, interval_ms: 10 });
  const ticks: unknown[] = [];
  for (;;) {
    const message = await feed.receive<{ type: string }>({ timeout: 2000 });
    ticks.push(message);
    if (message.type === 'json' && message.data.type === 'done') break;
  }
  await feed.send({ type: 'subscribe', topic: 'XYZ', count: 1, interval_ms: 10 });
  const streamed: unknown[] = [];
  for await (const message of feed.stream<{ type: string }>()) {
    streamed.push(message.data);
    if (message.type === 'json' && message.data.type === 'done') break;
  }
  const quiet = await outcome(feed.receive({ timeout: 30 }));
  return { sum, own, unknown, ticks, streamed, quiet };
}

describe('WebSocket on cassettes', () => {
  it('replays requests and subscriptions in order with the service gone and no socket opened', async () => {
    const dir = await tempDir();
    const service = await startWebSocketService({ token: TOKEN, tickIntervalMs: 10 });
    const options: Options = { name: 'market', baseUrl: service.url, endpoint: '/ws', authIn: 'query', auth: { type: 'bearer', token: TOKEN } };

    const live = connector('record', dir, options);
    const recorded = await session(live.feed);
    await live.feed.close();
    await service.close();
    expect(live.opened).toHaveLength(1);
    expect(recorded).toMatchObject({
      sum: { id: 1, result: 42 },
      own: { id: 'mine-1', result: ['x'] },
      unknown: { id: 2, error: { code: 'UNKNOWN_METHOD' } },
      ticks: [
        { type: 'json', data: { type: 'subscribed', topic: 'ACME' } },
        { type: 'json', data: { type: 'tick', seq: 1 } },
        { type: 'json', data: { type: 'tick', seq: 2 } },
        { type: 'json', data: { type: 'tick', seq: 3 } },
        { type: 'json', data: { type: 'done', ticks: 3 } },
      ],
      streamed: [{ type: 'subscribed' }, { type: 'tick' }, { type: 'done' }],
      quiet: { code: 'TIMEOUT' },
    });

    const replay = connector('replay', dir, { ...options, baseUrl: 'ws://127.0.0.1:9' });
    expect(await session(replay.feed)).toEqual(recorded);
    expect(replay.opened).toEqual([]);
    expect((await replay.feed.healthCheck()).ok).toBe(true);
    await replay.feed.close();

    const text = await readFile(join(dir, 'market.cassette.json'), 'utf8');
    expect(text).not.toContain(TOKEN);
    const file = JSON.parse(text) as { protocol: string; interactions: Record<string, unknown>[] };
    expect(file.protocol).toBe('websocket');
    const of = (kind: string) => file.interactions.filter((i) => (i['request'] as { kind: string }).kind === kind);
    // The first request opened the socket: it is asked first, then the socket opens.
    expect(of('open')).toEqual([{ request: { kind: 'open' }, handshake: { url: `${service.url}/ws`, query: { access_token: '[REDACTED]' } } }]);
    expect(of('request')[0]).toEqual({ request: { kind: 'request', message: { json: { method: 'add', params: [19, 23] } } }, reply: { id: 1, result: 42 } });
    expect(of('send')[0]).toMatchObject({ request: { kind: 'send', message: { json: { count: 3, interval_ms: 10, topic: 'ACME', type: 'subscribe' } } } });
    expect(of('send').map((i) => (i['received'] as unknown[]).length)).toEqual([5, 3]);
  });

  it('matches requests whatever their ids, and names the closest one recorded when none matches', async () => {
    const dir = await tempDir();
    const service = await startWebSocketService();
    const options: Options = { name: 'calc', baseUrl: service.url, endpoint: '/ws' };
    const live = connector('record', dir, options);
    await live.feed.request({ method: 'add', params: [1, 2] });
    await live.feed.request({ method: 'add', params: [3, 4] });
    await live.feed.close();
    await service.close();

    const replay = connector('replay', dir, options);
    // Asked in another order, each request still gets its own reply.
    expect(await replay.feed.request({ id: 'x', method: 'add', params: [3, 4] })).toEqual({ id: 'x', result: 7 });
    expect(await replay.feed.request({ method: 'add', params: [1, 2] })).toEqual({ id: 1, result: 3 });
    const miss = await outcome(replay.feed.request({ method: 'add', params: [5, 6] }));
    expect(miss).toMatchObject({ code: 'CASSETTE_MISS' });
    expect((miss as { message: string }).message).toMatch(
      /^connector "calc": no recorded answer for request \{"method":"add","params":\[5,6\]\} in cassette .*calc\.cassette\.json; the closest recorded request is request \{"method":"add","params":\[1,2\]\} \(differs in message: json\.params\[0\], json\.params\[1\]\)/,
    );
    expect(await outcome(replay.feed.send({ type: 'subscribe' }))).toMatchObject({ code: 'CASSETTE_MISS' });
    await replay.feed.close();
  });

  it('delivers what the server pushed before the first send, text and bytes alike, and hides a first-message credential', async () => {
    const dir = await tempDir();
    const server = await startWsServer({
      onConnection: (socket) => {
        socket.send('welcome, not JSON');
        socket.send(Buffer.from([0, 1, 254]));
      },
    });
    const options: Options = { name: 'push', baseUrl: server.url, authIn: 'message', auth: { type: 'bearer', token: TOKEN } };
    const read = async (feed: WebSocketConnector) => {
      await feed.connect();
      return [await feed.receive({ timeout: 2000 }), await feed.receive({ timeout: 2000 })];
    };
    const live = connector('record', dir, options);
    const recorded = await read(live.feed);
    await live.feed.close();
    await server.close();
    expect(recorded).toEqual([
      { type: 'text', data: 'welcome, not JSON', invalidJson: true },
      { type: 'binary', data: Buffer.from([0, 1, 254]) },
    ]);
    expect(server.received[0]?.json).toEqual({ type: 'auth', token: TOKEN });

    const replay = connector('replay', dir, options);
    expect(await read(replay.feed)).toEqual(recorded);
    await replay.feed.close();
    const text = await readFile(join(dir, 'push.cassette.json'), 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text).interactions[0]).toMatchObject({
      handshake: { firstMessages: ['{"type":"auth","token":"[REDACTED]"}'] },
      received: [{ text: 'welcome, not JSON', invalidJson: true }, { base64: 'AAH+' }],
    });
  });
});
