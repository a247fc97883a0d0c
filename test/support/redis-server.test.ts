import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startRedis } from './redis-server.js';

describe('startRedis', () => {
  it('starts a real redis-server that survives a stop and start on the same port', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      await redis.stop();
      await expect(client.set('k', 'v')).rejects.toThrow();
      await redis.start();
      await expect.poll(() => client.ping().catch(() => 'down'), { timeout: 5000 }).toBe('PONG');
    } finally {
      client.disconnect();
      await redis.close();
    }
  });
});
