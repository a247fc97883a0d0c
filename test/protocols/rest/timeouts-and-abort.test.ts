import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { delay, json, neverRespond, reset, resetAfterHeaders, slowBody, type Behaviour } from '../../support/index.js';
import { createRestConnector } from '../../../src/index.js';
import { rejectionOf, useRestFixture } from './helpers.js';

const fixture = useRestFixture();

function capturingSocket(behaviour: Behaviour): { behaviour: Behaviour; socket: () => Socket | undefined } {
  let socket: Socket | undefined;
  return {
    behaviour: (req, res, ctx) => {
      socket = req.socket;
      return behaviour(req, res, ctx);
    },
    socket: () => socket,
  };
}

describe('REST timeouts, each with its own code', () => {
  it('HEADERS_TIMEOUT when the headers do not arrive in time', async () => {
    const { server, api } = await fixture.start({ timeout: { headers: 50 }, retry: { maxAttempts: 1 } });
    server.route('GET', '/slow', neverRespond());
    const error = await rejectionOf(api.get('/slow').send());
    expect(error.code).toBe('HEADERS_TIMEOUT');
    expect(error.message).toMatch(/timeout\.headers/);
  });

  it('BODY_TIMEOUT when the body stalls', async () => {
    const { server, api } = await fixture.start({ timeout: { bodyIdle: 50 }, retry: { maxAttempts: 1 } });
    server.route('GET', '/stall', slowBody(['a', 'b'], 1000));
    const error = await rejectionOf(api.get('/stall').send());
    expect(error.code).toBe('BODY_TIMEOUT');
  });

  it('reads a slow chunked body that never pauses longer than bodyIdle', async () => {
    const { server, api } = await fixture.start({ timeout: { bodyIdle: 500 } });
    server.route('GET', '/drip', slowBody(['one ', 'two ', 'three'], 20));
    expect((await api.get('/drip').send()).body).toBe('one two three');
  });

  it('TIMEOUT when the whole call exceeds timeout.total, and the socket is released', async () => {
    const { server, api } = await fixture.start({ timeout: { total: 60 } });
    const capture = capturingSocket(neverRespond());
    server.route('GET', '/never', capture.behaviour);
    const error = await rejectionOf(api.get('/never').send());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/total timeout of 60 ms/);
    await expect.poll(() => capture.socket()?.destroyed).toBe(true);
  });

  it('timeout.total: false turns the total timeout off; a per-call timeout still applies', async () => {
    const { server, api } = await fixture.start({ timeout: { total: false }, retry: { maxAttempts: 1 } });
    server.route('GET', '/slow', delay(150, json(200, { late: true })));
    expect((await api.get('/slow').send()).body).toEqual({ late: true });
    expect((await rejectionOf(api.get('/slow').timeout(30).send())).code).toBe('TIMEOUT');
  });

  it('a per-call timeout overrides the connector timeout', async () => {
    const { server, api } = await fixture.start({ timeout: { total: 10_000 } });
    server.route('GET', '/slow', delay(2000, json(200, {})));
    const error = await rejectionOf(api.get('/slow').timeout(40).send());
    expect(error.code).toBe('TIMEOUT');
  });

  it('ATTEMPT_TIMEOUT bounds a single attempt', async () => {
    const { server, api } = await fixture.start({ timeout: { attempt: 40 }, retry: { maxAttempts: 1 } });
    server.route('GET', '/slow', neverRespond());
    const error = await rejectionOf(api.get('/slow').send());
    expect(error.code).toBe('ATTEMPT_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('CONNECT_TIMEOUT when the connection cannot be opened in time', async () => {
    // A resolver that answers late holds the connect phase open past timeout.connect
    // without depending on kernel backlog behaviour.
    const { server } = await fixture.start();
    await using api = createRestConnector(
      { name: 'slow_connect', baseUrl: server.url.replace('127.0.0.1', 'localhost'), timeout: { connect: 30 }, retry: { maxAttempts: 1 } },
      { lookup: (_host, _opts, callback) => void setTimeout(() => (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4), 1500) },
    );
    const error = await rejectionOf(api.get('/x').send());
    expect(error.code).toBe('CONNECT_TIMEOUT');
  });
});

describe('REST cancellation and network failures', () => {
  it('an AbortSignal cancels the call with ABORTED and releases the socket', async () => {
    const { server, api } = await fixture.start();
    const capture = capturingSocket(neverRespond());
    server.route('GET', '/never', capture.behaviour);
    const controller = new AbortController();
    const pending = api.get('/never').signal(controller.signal).send();
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort();
    const error = await rejectionOf(pending);
    expect(error.code).toBe('ABORTED');
    await expect.poll(() => capture.socket()?.destroyed).toBe(true);
  });

  it('an already aborted signal sends nothing', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/x', json(200, {}));
    const error = await rejectionOf(api.get('/x').signal(AbortSignal.abort()).send());
    expect(error.code).toBe('ABORTED');
    expect(server.requests).toHaveLength(0);
  });

  it('a connection reset before a response is a retryable NETWORK error', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/reset', reset());
    const error = await rejectionOf(api.get('/reset').send());
    expect(error.code).toBe('NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.details?.phase).toBe('request');
  });

  it('a reset in the middle of the body is a NETWORK error in the body phase', async () => {
    const { server, api } = await fixture.start();
    server.route('GET', '/half', resetAfterHeaders());
    const error = await rejectionOf(api.get('/half').send());
    expect(error.code).toBe('NETWORK');
    expect(error.details?.phase).toBe('body');
  });
});
