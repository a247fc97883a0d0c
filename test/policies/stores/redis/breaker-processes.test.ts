import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../support/index.js';
import { forkFixture, type Child } from './processes.js';

const OPEN_MS = 1000;

let redis: TestRedis;
let server: Server;
let origin: string;
let requests = 0;
let healthy = true;
let children: Child[] = [];

beforeAll(async () => {
  redis = await startRedis();
  // The upstream: slow enough while healthy that concurrent calls overlap, failing (500) while not.
  server = createServer((_req, res) => {
    requests += 1;
    if (!healthy) return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 300);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  server.close();
  await redis.close();
});

type Called = { results: (number | string)[]; at: number };

describe('a circuit breaker shared through Redis by three processes', () => {
  it('opened by one process, rejects in the others within a second, and lets exactly one probe reach the server', { timeout: 30_000 }, async () => {
    children = Array.from({ length: 3 }, () => forkFixture('breaker-child.mjs', { REDIS_URL: redis.url, KEY_PREFIX: 'cb-procs:', ORIGIN: origin, OPEN_MS }));
    for (const child of children) expect(await child.next(20_000)).toEqual({ ready: true });
    const [a, b, c] = children as [Child, Child, Child];
    // Every process is using the connector when the upstream starts failing.
    for (const child of children) child.send({ cmd: 'call', n: 1 });
    for (const child of children) expect((await child.next<Called>()).results).toEqual([200]);
    healthy = false;
    requests = 0;

    b.send({ cmd: 'watch' });
    c.send({ cmd: 'watch' });
    let opened = 0;
    for (let i = 0; i < 3; i++) {
      a.send({ cmd: 'call', n: 1 });
      const called = await a.next<Called>();
      expect(called.results).toEqual([500]);
      opened = called.at;
    }
    expect(requests).toBe(3);
    const seen = await Promise.all([b.next<{ openAt: number }>(2000), c.next<{ openAt: number }>(2000)]);
    for (const { openAt } of seen) expect(openAt - opened).toBeLessThan(1000);

    // The other processes fail fast: nothing reaches the server.
    b.send({ cmd: 'call', n: 2 });
    c.send({ cmd: 'call', n: 2 });
    expect((await b.next<Called>()).results).toEqual(['CIRCUIT_OPEN', 'CIRCUIT_OPEN']);
    expect((await c.next<Called>()).results).toEqual(['CIRCUIT_OPEN', 'CIRCUIT_OPEN']);
    expect(requests).toBe(3);

    // Past the open duration, 15 calls from three processes at once: one probe, the rest refused.
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, opened + OPEN_MS + 100 - Date.now()));
    for (const child of children) child.send({ cmd: 'call', n: 5 });
    const probing = (await Promise.all(children.map((child) => child.next<Called>()))).flatMap((r) => r.results);
    expect(requests).toBe(4);
    expect(probing.filter((r) => r === 200)).toHaveLength(1);
    expect(probing.filter((r) => r === 'CIRCUIT_OPEN')).toHaveLength(14);

    // The probe succeeded: the breaker closed for everyone.
    for (const child of children) child.send({ cmd: 'call', n: 1 });
    const after = (await Promise.all(children.map((child) => child.next<Called>()))).flatMap((r) => r.results);
    expect(after).toEqual([200, 200, 200]);
    expect(requests).toBe(7);
  });
});
