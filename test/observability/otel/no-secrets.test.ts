import type * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { RestConnectorOptions } from '../../../src/protocols/rest/config.js';
import { createRestConnector, type RestConnector } from '../../../src/protocols/rest/connector.js';
import { createWebSocketConnector } from '../../../src/protocols/websocket/create.js';
import { useGraphQL } from '../../protocols/graphql/helpers.js';
import { rejectionOf, useGrpcFixture } from '../../protocols/grpc/helpers.js';
import { echo, json, startServer, status, type ScriptedServer } from '../../support/index.js';
import { startOAuthServer, type OAuthServer } from '../../support/oauth-server.js';
import { rpc, startWsServer } from '../../support/ws-server.js';
import { recorder, type Recorder } from '../layers/recorder.js';
import { startOtel, type OtelHarness } from './support.js';

const SECRETS = {
  bearer: 'tk-observed-6a1f90c2d4',
  apiKey: 'ak-observed-3e8b2a71f0',
  password: 'pw-observed-9c4d1e7b22',
  client: 'cs-observed-0f5a8c3d61',
  callerKey: 'ck-observed-7b2e4f9a15',
  callerHeader: 'ch-observed-2d9f6b0e83',
};

let oauth: OAuthServer;
let server: ScriptedServer;
let otel: OtelHarness;
let seen: Recorder;
const connectors: { disconnect(): Promise<void> }[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer({ clients: [{ id: 'etl', secret: SECRETS.client }] });
});
afterAll(async () => {
  await oauth.close();
});

beforeEach(async () => {
  server = await startServer();
  server.route('GET', '/echo', echo());
  server.route('*', '/plain', json(200, { ok: true }));
  server.route('GET', '/flaky', [status(503), echo()]);
  otel = await startOtel();
  seen = recorder();
});

afterEach(async () => {
  await Promise.all(connectors.splice(0).map((c) => c.disconnect()));
  await server.close();
  await otel.shutdown();
});

/** Every span (name, attributes, events, status), every metric point and every recorded observation, as text. */
async function everythingObserved(): Promise<string[]> {
  const spans = otel.spans().map((s) => JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links }));
  const metrics = [...(await otel.metrics()).values()].map((m) => JSON.stringify(m));
  return [...spans, ...metrics, JSON.stringify(seen.calls)];
}

async function expectNoSecrets(): Promise<void> {
  const secrets = [...Object.values(SECRETS), ...oauth.issued, Buffer.from(`etl:${SECRETS.password}`).toString('base64')];
  const texts = await everythingObserved();
  expect(texts.length).toBeGreaterThan(2);
  const leaks = texts.flatMap((text) => secrets.filter((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret))).map((secret) => ({ secret, text: text.slice(0, 300) })));
  expect(leaks).toEqual([]);
}

const strategies: [string, () => RestConnectorOptions['auth']][] = [
  ['bearer', () => ({ type: 'bearer', token: SECRETS.bearer })],
  ['api_key header', () => ({ type: 'api_key', apiKey: SECRETS.apiKey, name: 'X-Api-Key' })],
  ['api_key query', () => ({ type: 'api_key', apiKey: SECRETS.apiKey, in: 'query', name: 'api_key' })],
  ['basic', () => ({ type: 'basic', username: 'etl', password: SECRETS.password })],
  ['oauth2', () => ({ type: 'oauth2', tokenUrl: oauth.tokenUrl, clientId: 'etl', clientSecret: SECRETS.client })],
];

describe.each(strategies)('REST with %s auth', (_name, auth) => {
  test('no credential reaches a span, a span event, a metric or an observer, though the server received it and echoed it back', async () => {
    const api: RestConnector = createRestConnector(
      { name: 'secretive', baseUrl: server.url, auth: auth(), retry: { maxAttempts: 2, baseDelay: 1, jitter: 'none' } },
      { observers: [otel.otel, seen] },
    );
    connectors.push(api);
    // The credential travels only in what the auth strategy adds; the echo reflects it back in the response body.
    const echoed = await api.get('/echo').send();
    await api.get('/plain').query({ access_token: SECRETS.callerKey, page: 2 }).headers({ 'X-Session-Token': SECRETS.callerHeader }).send();
    await api.post('/plain').json({ password: SECRETS.password, note: 'x' }).send();
    await api.get('/flaky').send();
    await expect(api.get('http://127.0.0.1:1/elsewhere').send()).rejects.toMatchObject({ code: 'UNSAFE_ENDPOINT' });

    // The scan below is only meaningful if the secrets really went out and came back.
    const wire = JSON.stringify(server.requests.map((r) => ({ url: r.url, headers: r.headers })));
    expect(wire).toContain(SECRETS.callerKey);
    expect(wire).toContain(SECRETS.callerHeader);
    const credentials = [SECRETS.bearer, SECRETS.apiKey, Buffer.from(`etl:${SECRETS.password}`).toString('base64'), ...oauth.issued];
    expect(credentials.some((c) => JSON.stringify(echoed.body).includes(c))).toBe(true);
    expect(seen.calls.some((c) => c.events.some((e) => e.name === 'retry'))).toBe(true);
    expect(seen.calls[0]?.response?.body).toBeTypeOf('object');
    await expectNoSecrets();
  });
});

describe('other protocols', () => {
  const gql = useGraphQL();
  const grpcFixture = useGrpcFixture();

  test('GraphQL with a bearer token: variables named like credentials and the echoed token stay hidden', async () => {
    const s = await gql.server({ tokens: new Set([`Bearer ${SECRETS.bearer}`]) });
    const api = gql.connector({ baseUrl: s.url, auth: { type: 'bearer', token: SECRETS.bearer } }, { observers: [otel.otel, seen] });
    await api.query('query Whoami($password: String) { whoami echo(text: "hi") }', { password: SECRETS.password });
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${SECRETS.bearer}`);
    await expectNoSecrets();
  });

  test('gRPC with a bearer token: a status message echoing the token is redacted', async () => {
    const { api, server: g } = await grpcFixture.start({ auth: { type: 'bearer', token: SECRETS.bearer }, retry: { maxAttempts: 1 } }, {}, { observers: [otel.otel, seen] });
    await api.execute({ method: 'Say', request: { text: 'hi' }, metadata: { 'x-api-key': SECRETS.callerKey } });
    g.handle('Say', (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: 7, details: `denied for ${String(call.metadata.get('authorization')[0])}` }),
    );
    const error = await rejectionOf(api.execute({ method: 'Say', request: { text: 'hi' } }));
    expect(error.code).toBe('GRPC');
    expect(g.calls[0]?.metadata.authorization).toBe(`Bearer ${SECRETS.bearer}`);
    await expectNoSecrets();
  });

  test('WebSocket with the token in the handshake query', async () => {
    const ws = await startWsServer({ onMessage: rpc });
    const feed = createWebSocketConnector({ name: 'feed', baseUrl: ws.url, auth: { type: 'bearer', token: SECRETS.bearer }, authIn: 'query' }, { observers: [otel.otel, seen] });
    try {
      await feed.connect();
      expect(ws.handshakes[0]?.url).toContain(SECRETS.bearer);
      await expectNoSecrets();
    } finally {
      await feed.close();
      await ws.close();
    }
  });
});
