import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { generateTestCertificate } from '../../support/index.js';
import { rejectionOf, until, useWsFixture } from './helpers.js';

const fixture = useWsFixture();
const TOKEN = 's3cret-t0ken-abc';
const refuseWithout = (expected: string) => (req: IncomingMessage) =>
  req.headers.authorization === `Bearer ${expected}` || (req.url ?? '').includes(expected) ? undefined : { status: 401 };

describe('credentials at the handshake', () => {
  test('authIn headers (default): the strategy header goes with the handshake', async () => {
    const { server, ws } = await fixture.start({ auth: { type: 'bearer', token: TOKEN } }, { refuse: refuseWithout(TOKEN) });
    await ws.connect();
    expect(server.handshakes[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.handshakes[0]?.url).toBe('/');
  });

  test('config headers and subprotocols are sent; the server picks a subprotocol', async () => {
    const { server, ws } = await fixture.start({ headers: { 'x-team': 'data' }, subprotocols: ['v2.feed', 'v1.feed'] }, { pickProtocol: (offered) => (offered.has('v1.feed') ? 'v1.feed' : false) });
    const opens: { protocol: string }[] = [];
    ws.on('socketOpen', (e) => opens.push(e));
    await ws.connect();
    expect(server.handshakes[0]?.headers['x-team']).toBe('data');
    expect(server.handshakes[0]?.headers['sec-websocket-protocol']).toBe('v2.feed, v1.feed'.replace(' ', ''));
    expect(opens[0]?.protocol).toBe('v1.feed');
  });

  test('authIn query: the token travels as access_token and is redacted in events', async () => {
    const { server, ws } = await fixture.start({ endpoint: '/ws?room=1', auth: { type: 'bearer', token: TOKEN }, authIn: 'query' }, { refuse: refuseWithout(TOKEN) });
    const urls: string[] = [];
    ws.on('request', (e) => urls.push(e.url));
    ws.on('socketOpen', (e) => urls.push(e.url));
    await ws.connect();
    expect(server.handshakes[0]?.url).toBe(`/ws?room=1&access_token=${TOKEN}`);
    expect(server.handshakes[0]?.headers.authorization).toBeUndefined();
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      expect(url).not.toContain(TOKEN);
      expect(url).toContain('access_token=%5BREDACTED%5D');
    }
  });

  test('authIn query with a custom parameter name, and an api_key placed in the query by its own setting', async () => {
    const a = await fixture.start({ auth: { type: 'bearer', token: TOKEN }, authIn: 'query', authQueryParam: 'token' });
    await a.ws.connect();
    expect(a.server.handshakes[0]?.url).toBe(`/?token=${TOKEN}`);
    const b = await fixture.start({ auth: { type: 'api_key', apiKey: TOKEN, in: 'query', name: 'key' } });
    await b.ws.connect();
    expect(b.server.handshakes[0]?.url).toBe(`/?key=${TOKEN}`);
  });

  test('authIn message: the first message carries the token, before anything queued', async () => {
    const { server, ws } = await fixture.start(
      { auth: { type: 'bearer', token: TOKEN }, authIn: 'message', authMessage: { type: 'hello', v: 2 }, authMessageField: 'jwt' },
      { onMessage: () => undefined },
    );
    const sent = ws.send({ type: 'subscribe' });
    await sent;
    await until(() => server.received.length === 2, 'both messages');
    expect(server.received.map((m) => m.json)).toEqual([{ type: 'hello', v: 2, jwt: TOKEN }, { type: 'subscribe' }]);
    expect(server.handshakes[0]?.headers.authorization).toBeUndefined();
  });

  test('a strategy with several credential values cannot go in one token: CONFIG, naming the fix', async () => {
    const getHeaders = () => ({ 'x-user': 'u', 'x-key': 'k' });
    const { ws } = await fixture.start({ auth: { type: 'custom', getHeaders }, authIn: 'query' });
    const error = await rejectionOf(ws.connect());
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/authIn "query" carries one token, but auth type "custom" produced 2 credential values \(x-user, x-key\); use authIn: "headers"/);
  });
});

describe('refused credentials', () => {
  test('401 at the handshake is a typed AUTH error, tried once although retry is on, and queued sends fail with it', async () => {
    const { server, ws } = await fixture.start({ auth: { type: 'bearer', token: TOKEN }, retry: { maxAttempts: 5, baseDelay: 1 } }, { refuse: () => ({ status: 401 }) });
    const queued = rejectionOf(ws.send('hello'));
    const error = await queued;
    expect(error.code).toBe('AUTH');
    expect(error.details).toMatchObject({ status: 401 });
    expect(error.message).toMatch(/refused the WebSocket handshake with 401; check the credentials in auth/);
    expect(error.message).not.toContain(TOKEN);
    expect(server.handshakes).toHaveLength(1);
    expect((await rejectionOf(ws.connect())).code).toBe('AUTH');
    expect(server.handshakes).toHaveLength(2);
    expect(ws.socketState).toBe('closed');
  });

  test('401 while reopening stops the reconnect loop at once', async () => {
    let refuse = false;
    const { server, ws } = await fixture.start(
      { auth: { type: 'bearer', token: TOKEN }, reconnect: { baseDelay: 1, maxDelay: 1, maxAttempts: 50 }, retry: { maxAttempts: 3, baseDelay: 1 } },
      { refuse: () => (refuse ? { status: 403 } : undefined), onMessage: () => undefined },
    );
    await ws.connect();
    const pending = rejectionOf(ws.request({ op: 'x' }, { timeout: 60_000 }));
    await until(() => server.received.length === 1, 'the request');
    refuse = true;
    server.dropAll();
    await until(() => ws.socketState === 'closed', 'giving up');
    expect(server.handshakes.map((h) => h.status)).toEqual([101, 403]);
    expect((await pending).code).toBe('WEBSOCKET');
  });

  test('a token provider is asked again once after a 401, and the socket opens with the new token', async () => {
    const tokens = ['old-token-1234', 'new-token-5678'];
    let calls = 0;
    const { server, ws } = await fixture.start(
      { auth: { type: 'bearer', token: () => tokens[Math.min(calls++, 1)] as string }, retry: { maxAttempts: 1 } },
      { refuse: refuseWithout('new-token-5678') },
    );
    await ws.connect();
    expect(server.handshakes.map((h) => [h.status, h.headers.authorization])).toEqual([
      [401, 'Bearer old-token-1234'],
      [101, 'Bearer new-token-5678'],
    ]);
    expect(calls).toBe(2);
  });

  test('no secret reaches an event, an error or the inspected connector', async () => {
    const { server, ws } = await fixture.start({ auth: { type: 'bearer', token: TOKEN }, authIn: 'query', reconnect: false }, { refuse: refuseWithout(TOKEN) });
    const seen: unknown[] = [];
    for (const event of ['request', 'response', 'socketOpen', 'socketClose', 'socketState', 'socketError', 'retry'] as const) ws.on(event, (e) => seen.push(e));
    await ws.connect();
    server.closeAll(4000, `bad token ${TOKEN}`);
    await until(() => ws.socketState === 'closed', 'the close');
    const text = JSON.stringify(seen) + JSON.stringify(ws.toJSON()) + (await import('node:util')).inspect(ws);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('[REDACTED]');
  });
});

describe('TLS', () => {
  test('verification is on: a self-signed certificate is a TLS error and is not retried', async () => {
    const { key, cert } = await generateTestCertificate();
    const server = await fixture.server({ https: { key, cert } });
    const ws = fixture.connector(server.url, { retry: { maxAttempts: 3, baseDelay: 1 } });
    const error = await rejectionOf(ws.connect());
    expect(error.code).toBe('TLS');
    expect(error.message).toMatch(/add it with tls.ca \(verification stays on\)/);
    expect(server.handshakes).toHaveLength(0);
  });

  test('with the CA given in tls.ca, wss:// (or https://) opens and messages flow', async () => {
    const { key, cert } = await generateTestCertificate();
    const server = await fixture.server({ https: { key, cert } });
    const ws = fixture.connector(server.httpUrl, { tls: { ca: cert } });
    await ws.send('over tls');
    expect(await ws.receive({ timeout: 2000 })).toMatchObject({ data: 'over tls' });
  });

  test('permessage-deflate is offered only when turned on', async () => {
    const plain = await fixture.start();
    await plain.ws.connect();
    expect(plain.server.handshakes[0]?.headers['sec-websocket-extensions']).toBeUndefined();
    const deflate = await fixture.start({ perMessageDeflate: true });
    await deflate.ws.connect();
    expect(deflate.server.handshakes[0]?.headers['sec-websocket-extensions']).toMatch(/permessage-deflate/);
    await deflate.ws.send({ text: 'x'.repeat(2000) });
    expect((await deflate.ws.receive({ timeout: 2000 })).data).toEqual({ text: 'x'.repeat(2000) });
  });
});

describe('credentials that cannot be resolved', () => {
  test('a missing secret reference fails the first send with CONFIG instead of leaving it queued', async () => {
    const { server, ws } = await fixture.start({ auth: { type: 'bearer', token: '${env:IA_CONNECTORS_WS_TEST_MISSING_TOKEN}' } });
    const error = await rejectionOf(ws.send('hello'));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/IA_CONNECTORS_WS_TEST_MISSING_TOKEN/);
    expect(ws.queued).toBe(0);
    expect(server.handshakes).toHaveLength(0);
  });
});
