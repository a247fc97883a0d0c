import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RedisTokenStore } from '../../src/auth/redis-token-store.js';
import type { StoredToken } from '../../src/auth/token-store.js';
import { startRedis, type TestRedis } from '../support/index.js';
import { CLIENT_SECRET, useOAuthFixture } from './support/oauth-fixture.js';
import { startTokenWorkers, type TokenWorker } from './support/token-workers.js';

// Four worker processes, each with its own oauth2 connector and RedisTokenStore on one
// Redis, against the real token server and API of the fixture.
const fx = useOAuthFixture();
let redis: TestRedis;
let client: Redis;
let workers: TokenWorker[];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  workers = await startTokenWorkers(4, { WORKER_CLIENT_SECRET: CLIENT_SECRET }, fx.leaks.text);
}, 30_000);
afterEach(async () => {
  await Promise.all(workers.map((w) => w.close()));
});
afterAll(async () => {
  await Promise.all(workers?.map((w) => w.kill()) ?? []);
  client?.disconnect();
  await redis?.close();
});

/** A token server slow enough that the four workers' calls overlap its token request. */
const contended = (delayMs = 200): Promise<void> => fx.restart({ clients: [{ id: 'etl', secret: CLIENT_SECRET }], lifetimeSeconds: 60, delayMs });

/** Opens every worker on a fresh key prefix and returns a store on the same keys. */
async function openAll(auth: Record<string, unknown> = {}, leases = true): Promise<RedisTokenStore> {
  const keyPrefix = `shared${++prefixes}:`;
  const full = { tokenUrl: fx.oauth.tokenUrl, clientId: 'etl', clientSecret: '${env:WORKER_CLIENT_SECRET}', ...auth };
  await Promise.all(workers.map((w) => w.open({ baseUrl: fx.api.url, redisUrl: redis.url, keyPrefix, auth: full, leases })));
  const store = new RedisTokenStore(client, { keyPrefix });
  fx.leaks.text('store toJSON', JSON.stringify(store));
  return store;
}

const callAll = (): Promise<number[]> => Promise.all(workers.map(async (w) => (await w.call('/me')).status));
const acceptedTokens = (): Set<string | undefined> => new Set(fx.api.requests.filter((r) => !r.rejected).map((r) => r.headers.authorization));

describe('four processes, one token', () => {
  test('starting cold, they send exactly one token request and all use its token', async () => {
    await contended();
    await openAll();
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
    expect(acceptedTokens()).toEqual(new Set([`Bearer ${fx.oauth.issued[0]}`]));
  });

  test('control: without the lease, the same start sends more than one token request', async () => {
    await contended(500);
    await openAll({}, false);
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    expect(fx.oauth.tokenRequests.length).toBeGreaterThan(1);
  });

  test('with an expired shared token, they send exactly one token request', async () => {
    await contended();
    const store = await openAll({ storeKey: 'etl-shared' });
    const expired = 'at-seeded-expired-000111';
    fx.leaks.secret(expired);
    await store.set('etl-shared', { accessToken: expired, tokenType: 'bearer', obtainedAt: Date.now() - 120_000, expiresAt: Date.now() - 60_000 });
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    expect(fx.oauth.tokenRequests).toHaveLength(1);
    expect(acceptedTokens()).toEqual(new Set([`Bearer ${fx.oauth.issued[0]}`]));
    expect(fx.api.requests.some((r) => r.headers.authorization === `Bearer ${expired}`)).toBe(false);
    expect((await store.get('etl-shared'))?.accessToken).toBe(fx.oauth.issued[0]);
  });

  test('a rotated refresh token is stored with its access token, and every process refreshes with it next', async () => {
    await contended();
    const initial = fx.oauth.issueRefreshToken('etl', 'offline');
    const store = await openAll({ grant: 'refresh_token', refreshToken: initial, storeKey: 'etl-rotating' });
    // The server refuses a spent refresh token, so a process refreshing with a stale one fails its call.
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    expect(fx.oauth.tokenRequests.map((r) => r.params.refresh_token)).toEqual([initial]);

    for (const worker of workers) {
      const stored = await store.get('etl-rotating');
      // The access token and the refresh token issued with it, never a mix of two responses.
      expect(stored).toMatchObject({ accessToken: fx.oauth.issued.at(-2), refreshToken: fx.oauth.issued.at(-1) });
      // Make this worker's next call refresh: its own copy is rejected, the shared one stale.
      await store.set('etl-rotating', { ...(stored as StoredToken), expiresAt: 0 });
      fx.oauth.revokeAccessTokens();
      expect((await worker.call('/me')).status).toBe(200);
      expect(fx.oauth.tokenRequests.at(-1)?.params.refresh_token).toBe(stored?.refreshToken);
    }
    expect(fx.oauth.tokenRequests).toHaveLength(5);
    expect(fx.oauth.tokenRequests.every((r) => r.grant === 'refresh_token')).toBe(true);
  });
});

describe('401 with a shared token', () => {
  test('four processes rejected together cause one refresh, not four', async () => {
    await contended();
    await openAll();
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    fx.oauth.revokeAccessTokens();
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    expect(fx.oauth.tokenRequests).toHaveLength(2);
    expect(fx.api.requests.filter((r) => r.rejected)).toHaveLength(4);
    expect(acceptedTokens()).toEqual(new Set([`Bearer ${fx.oauth.issued[0]}`, `Bearer ${fx.oauth.issued[1]}`]));
  });

  test("one process's rejection refreshes for all: the others take the new token from the store", async () => {
    const store = await openAll({ storeKey: 'etl-401' });
    expect(await callAll()).toEqual([200, 200, 200, 200]);
    fx.oauth.revokeAccessTokens();
    const [first, ...others] = workers as [TokenWorker, ...TokenWorker[]];
    const refreshed = await first.call('/me');
    expect(refreshed.status).toBe(200);
    expect(refreshed.events).toEqual([expect.objectContaining({ reason: 'unauthorized', ok: true })]);
    expect((await store.get('etl-401'))?.accessToken).toBe(fx.oauth.issued[1]);
    for (const worker of others) {
      const call = await worker.call('/me');
      expect(call.status).toBe(200);
      expect(call.events).toEqual([]); // no token request of its own
    }
    expect(fx.oauth.tokenRequests).toHaveLength(2);
  });
});
