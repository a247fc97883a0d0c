import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { json, startServer, text, type ScriptedServer } from '../../support/index.js';
import { startScriptedWsServer } from '../../support/graphql-ws-script.js';
import { rejectionOf, useGraphQL } from './helpers.js';

const gql = useGraphQL();
const TOKEN = 'sup3r-s3cret-t0ken';

async function scripted(): Promise<ScriptedServer> {
  const server = await startServer();
  gql.cleanup(() => server.close());
  return server;
}

describe('secrets stay out of errors, events and logs', () => {
  test('toJSON() and inspect() show the config without the token', () => {
    const api = gql.connector({ baseUrl: 'http://127.0.0.1:9', auth: { type: 'bearer', token: TOKEN }, subscriptions: { connectionParams: { apiKey: TOKEN } } });
    expect(JSON.stringify(api)).not.toContain(TOKEN);
    expect(inspect(api, { depth: 10 })).not.toContain(TOKEN);
  });

  test('a server echoing the token in a GraphQL error does not leak it through GRAPHQL errors', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', json(200, { data: null, errors: [{ message: `bad token Bearer ${TOKEN}`, extensions: { token: TOKEN } }] }));
    const api = gql.connector({ baseUrl: server.url, auth: { type: 'bearer', token: TOKEN }, throwOnErrors: true });
    const error = await rejectionOf(api.query('{ me }'));
    expect(error.code).toBe('GRAPHQL');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(TOKEN);
  });

  test('a server echoing the token in an error page does not leak it through HTTP_STATUS', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', text(500, `token was ${TOKEN}`));
    const api = gql.connector({ baseUrl: server.url, auth: { type: 'bearer', token: TOKEN }, retry: { maxAttempts: 1 } });
    const error = await rejectionOf(api.query('{ me }'));
    expect(error.code).toBe('HTTP_STATUS');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(TOKEN);
  });

  test('an api key in the query string is redacted in request events', async () => {
    const server = await scripted();
    server.route('POST', '/graphql', json(200, { data: { me: 'x' } }));
    const api = gql.connector({ baseUrl: server.url, auth: { type: 'api_key', apiKey: TOKEN, in: 'query', name: 'key' } });
    const urls: string[] = [];
    api.on('request', (e) => urls.push(e.url));
    api.on('response', (e) => urls.push(e.url));
    const res = await api.query('{ me }');
    expect(urls).toHaveLength(2);
    expect(JSON.stringify([urls, res.url])).not.toContain(TOKEN);
  });

  test('a close reason echoing the token is redacted in the subscription error', async () => {
    const server = await startScriptedWsServer((message, socket, send) => {
      if (message.type === 'connection_init') send({ type: 'connection_ack' });
      if (message.type === 'subscribe') socket.close(4400, `bad ${TOKEN}`);
    });
    gql.cleanup(() => server.close());
    const api = gql.connector({ baseUrl: 'http://127.0.0.1:9', subscriptions: { url: server.url }, auth: { type: 'bearer', token: TOKEN } });
    const error = await rejectionOf(api.subscribe('subscription { ticks }').next());
    expect(error.code).toBe('WEBSOCKET');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(TOKEN);
  });
});
