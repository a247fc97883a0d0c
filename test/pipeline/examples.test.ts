import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline, type ConnectorLookup } from '../../src/pipeline/index.js';
import { startTestServer, type SeenRequest, type TestServer } from './support/http-server.js';
import { createUndiciCaller, lookupOf } from './support/undici-caller.js';

// Verbatim copies of /work/shared/examples/*.pipeline.json: the runner must run them unchanged.
const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Holds requests until `expected` of them are in flight at once, proving they overlap. */
function barrier() {
  const state = { expected: 0, arrived: 0, met: false, timedOut: false, waiting: [] as Array<() => void> };
  const wait = (): Promise<void> =>
    new Promise((resolve) => {
      state.waiting.push(resolve);
      state.arrived++;
      if (state.arrived === state.expected) {
        state.met = true;
        for (const release of state.waiting.splice(0)) release();
      }
      setTimeout(() => {
        if (!state.met) state.timedOut = true;
        resolve();
      }, 2000).unref();
    });
  return { state, wait, reset: (expected: number) => Object.assign(state, { expected, arrived: 0, met: false, timedOut: false, waiting: [] }) };
}

const users: Record<string, { id: number; name: string; post_count: number }> = {
  ada: { id: 1, name: 'Ada', post_count: 2 },
  bob: { id: 2, name: 'Bob', post_count: 0 },
};
const branches = barrier();
let main: TestServer;
let pricing: TestServer;
let connectors: ConnectorLookup;

async function answerMain(req: SeenRequest) {
  const route = `${req.method} ${req.path}`;
  const user = /^GET \/users\/([^/]+)$/.exec(route);
  if (user) return users[user[1] ?? ''] ? { body: users[user[1] ?? ''] } : { status: 404, body: { error: 'no user' } };
  if (route === 'GET /users/1/posts') return { body: [{ id: 10, title: 'Engines' }, { id: 11, title: 'Notes' }] };
  if (route === 'POST /audit') return { status: 201, body: { id: 'audit-1', received: req.body } };
  if (route === 'GET /regions/eu') return { body: { code: 'eu-west', name: 'Europe' } };
  if (route === 'GET /regions/eu-west/products' && req.query.get('limit') === '50') {
    await branches.wait();
    return { body: [{ sku: 'p1' }, { sku: 'p2' }] };
  }
  if (route === 'GET /regions/eu-west/stock') {
    await branches.wait();
    return { body: [{ sku: 'p1', qty: 3 }] };
  }
  if (route === 'POST /reports') return { status: 201, body: { id: 'report-7', received: req.body } };
  return undefined;
}

beforeAll(async () => {
  main = await startTestServer(answerMain);
  pricing = await startTestServer(async (req) => {
    if (req.path !== '/prices/eu-west') return undefined;
    await branches.wait();
    return { body: [{ sku: 'p1', price: 9.5 }] };
  });
  connectors = lookupOf({ users_api: createUndiciCaller(main.url), catalog: createUndiciCaller(main.url), pricing: createUndiciCaller(pricing.url) });
});
afterAll(async () => {
  await main.close();
  await pricing.close();
});
beforeEach(() => {
  main.requests.length = 0;
  pricing.requests.length = 0;
});

describe('example: user-report', () => {
  it('fetches the posts of a user who has some, and skips no_posts', async () => {
    const result = await runPipeline(await fixture('user-report.pipeline.json'), { connectors });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ user: users['ada'], posts: [{ id: 10, title: 'Engines' }, { id: 11, title: 'Notes' }] });
    expect(result.steps['fetch_posts']?.status).toBe('succeeded');
    expect(result.steps['no_posts']?.status).toBe('skipped');
    expect(main.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /users/ada', 'GET /users/1/posts']);
  });

  it('records an audit event for a user without posts, and reports posts as null', async () => {
    const result = await runPipeline(await fixture('user-report.pipeline.json'), { connectors, parameters: { username: 'bob' } });
    expect(result.status).toBe('succeeded');
    expect(result.steps['fetch_posts']?.status).toBe('skipped');
    expect(result.steps['no_posts']).toMatchObject({ status: 'succeeded', result: { audit: { id: 'audit-1', received: { user: 2, event: 'no_posts' } } } });
    expect(result.outputs).toEqual({ user: users['bob'], posts: null });
  });
});

describe('example: fan-in', () => {
  it('runs products, stock and prices concurrently, then merges them once', async () => {
    branches.reset(3);
    const result = await runPipeline(await fixture('fan-in.pipeline.json'), { connectors });
    expect(branches.state).toMatchObject({ met: true, timedOut: false });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ report_id: 'report-7' });
    const merges = main.requests.filter((r) => r.path === '/reports');
    expect(merges).toHaveLength(1);
    expect(merges[0]?.body).toEqual({ products: [{ sku: 'p1' }, { sku: 'p2' }], stock: [{ sku: 'p1', qty: 3 }], prices: [{ sku: 'p1', price: 9.5 }] });
  });

  it('skips prices when enable_prices is false; merge still runs and reads prices as null', async () => {
    branches.reset(2);
    const result = await runPipeline(await fixture('fan-in.pipeline.json'), { connectors, parameters: { enable_prices: false } });
    expect(result.status).toBe('succeeded');
    expect(result.steps['prices']).toEqual({ status: 'skipped', reason: 'no incoming edge fired (load)' });
    expect(result.steps['merge']?.status).toBe('succeeded');
    expect(pricing.requests).toHaveLength(0);
    expect(main.requests.find((r) => r.path === '/reports')?.body).toEqual({ products: [{ sku: 'p1' }, { sku: 'p2' }], stock: [{ sku: 'p1', qty: 3 }], prices: null });
    expect(result.outputs).toEqual({ report_id: 'report-7' });
  });
});
