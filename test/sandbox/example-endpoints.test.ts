import { describe, expect, it } from 'vitest';
import { call, fetchToken, useSandbox } from './helpers.js';

const fixture = useSandbox();
const json = { 'content-type': 'application/json' };

describe('sandbox endpoints of the shared example pipelines', () => {
  it('serves users_api: /users/{username}, /users/{id}/posts and POST /audit', async () => {
    const sandbox = await fixture.start();
    const headers = { authorization: `Bearer ${await fetchToken(sandbox)}` };
    const user = await call(`${sandbox.urls.rest}/users/ada`, { headers });
    expect(user.body).toMatchObject({ id: 1, username: 'ada', post_count: 3 });
    const posts = await call(`${sandbox.urls.rest}/users/1/posts`, { headers });
    expect((posts.body as { user_id: number }[]).map((p) => p.user_id)).toEqual([1, 1, 1]);
    const linus = await call(`${sandbox.urls.rest}/users/linus`, { headers });
    expect(linus.body).toMatchObject({ post_count: 0 });
    const audit = await call(`${sandbox.urls.rest}/audit`, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify({ user: 4, event: 'no_posts' }) });
    expect(audit.status).toBe(201);
    expect(audit.body).toMatchObject({ id: 'audit_1', user: 4, event: 'no_posts' });
    expect((await call(`${sandbox.urls.rest}/users/nobody`, { headers })).status).toBe(404);
  });

  it('serves catalog and pricing: region, products, stock, prices and POST /reports', async () => {
    const sandbox = await fixture.start();
    const base = sandbox.urls.rest;
    expect((await call(`${base}/regions/eu`)).body).toEqual({ code: 'eu', name: 'Europe', currency: 'EUR' });
    expect((await call(`${base}/regions/eu/products?limit=2`)).body).toHaveLength(2);
    expect((await call(`${base}/regions/eu/stock`)).body).toHaveLength(6);
    const prices = await call(`${base}/prices/us`, { headers: { 'x-api-key': sandbox.credentials.apiKey } });
    expect((prices.body as { currency: string }[])[0]?.currency).toBe('USD');
    const report = await call(`${base}/reports`, { method: 'POST', headers: json, body: JSON.stringify({ products: [1, 2], stock: [1], prices: null }) });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ id: 'rpt_1', counts: { products: 2, stock: 1, prices: 0 } });
    const missing = await call(`${base}/regions/mars`);
    expect(missing.status).toBe(404);
    expect((missing.body as { message: string }).message).toBe('no region "mars"; regions are eu, us, apac');
  });

  it('answers 404 for unknown paths, 405 for wrong methods and 400 for invalid JSON bodies', async () => {
    const sandbox = await fixture.start();
    const base = sandbox.urls.rest;
    expect((await call(`${base}/nowhere`)).status).toBe(404);
    const wrongMethod = await call(`${base}/reports`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('POST');
    const bad = await call(`${base}/reports`, { method: 'POST', headers: json, body: '{"products": [' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_json' });
  });

  it('listens on 127.0.0.1 only and stops answering after close()', async () => {
    const sandbox = await fixture.start();
    expect(new URL(sandbox.urls.rest).hostname).toBe('127.0.0.1');
    expect(new URL(sandbox.urls.oauth).hostname).toBe('127.0.0.1');
    expect((await call(`${sandbox.urls.rest}/health`)).status).toBe(200);
    expect((await call(`${sandbox.urls.rest}/`)).body).toMatchObject({ endpoints: expect.arrayContaining(['GET /users', 'GET /limited/:id']) });
    await sandbox.close();
    await sandbox.close();
    await expect(call(`${sandbox.urls.rest}/health`)).rejects.toThrow();
  });

  it('reports a busy port as a CONFIG error naming the port', async () => {
    const first = await fixture.start();
    const port = Number(new URL(first.urls.rest).port);
    const { startSandbox } = await import('../../src/sandbox/index.js');
    await expect(startSandbox({ restPort: port })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining(`port ${port} on 127.0.0.1 is in use`),
    });
  });
});
