import { test } from 'vitest';
import { request } from 'undici';
import { startServer, status, json } from './index.js';
test('x', async () => {
  const server = await startServer();
  server.route('GET', '/a', status(204)).route('GET', '/b', json(200, {}));
  for (const p of ['/a', '/a', '/b', '/b', '/b']) {
    const r = await request(`${server.url}${p}`);
    console.log(p, r.statusCode, r.headers);
    await r.body.dump();
  }
  console.log(server.requests.map((r) => r.socketId));
  await server.close();
});
