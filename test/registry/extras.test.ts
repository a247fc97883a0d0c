import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observer, ObservedCall } from '../../src/observability/observer.js';
import { createRegistry } from '../../src/registry/create.js';
import type { AnyConnector } from '../../src/registry/protocols.js';
import { json, startServer, type ScriptedServer } from '../support/index.js';

let api: ScriptedServer;

beforeAll(async () => {
  api = await startServer();
  api.route('GET', '/users/ada', json(200, { name: 'Ada' }));
});

afterAll(() => api.close());

describe('registry extras', () => {
  it('gives every connector it builds the registry observers and reports each built connector', async () => {
    const seen: ObservedCall[] = [];
    const observer: Observer = {
      startCall: (call) => {
        seen.push(call);
        return { event: () => undefined, attempt: () => ({ end: () => undefined }), end: () => undefined };
      },
    };
    const built: AnyConnector[] = [];
    await using registry = createRegistry([{ name: 'users', baseUrl: api.url, headers: { 'x-team': '${env:REGISTRY_EXTRAS_TEAM}' } }], {
      extras: { observers: [observer] },
      env: { REGISTRY_EXTRAS_TEAM: 'data' },
      onConnector: (c) => built.push(c),
    });
    const users = await registry.get('users');
    const res = await users.get('/users/ada').send();
    expect(res.status).toBe(200);
    expect(seen.map((c) => [c.connector, c.name])).toEqual([['users', 'GET /users/ada']]);
    expect(built.map((c) => c.name)).toEqual(['users']);
    // The header reference was read from the registry's env, not process.env.
    expect(api.requests.at(-1)?.headers['x-team']).toBe('data');
  });
});
