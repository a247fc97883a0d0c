import { describe, expect, test } from 'vitest';
import { createGraphQLConnector } from '../../../src/protocols/graphql/connector.js';
import { graphqlConnectorConfigSchema } from '../../../src/protocols/graphql/config.js';
import { thrownBy } from './helpers.js';

describe('GraphQL connector config', () => {
  test('defaults: endpoint /graphql, no subscriptions, no validation, protocol filled in code', () => {
    const api = createGraphQLConnector({ name: 'shop', baseUrl: 'http://127.0.0.1:4000' });
    expect(api.config).toMatchObject({ protocol: 'graphql', endpoint: '/graphql', throwOnErrors: false, validateSchema: false, useGetForQueries: false, persistedQueries: false });
    expect(api.config.subscriptions).toBeUndefined();
    expect(api.protocol).toBe('graphql');
  });

  test('subscriptions: {} fills every subscription default', () => {
    const cfg = graphqlConnectorConfigSchema.parse({ name: 'shop', protocol: 'graphql', baseUrl: 'http://127.0.0.1:4000', subscriptions: {} });
    expect(cfg.subscriptions).toEqual({
      keepAlive: 12_000,
      pongTimeout: 5000,
      ackTimeout: 10_000,
      reconnectAttempts: 5,
      maxBuffered: 1000,
      maxPayload: 10 * 1024 * 1024,
      credentialCheck: 30_000,
      authCloseCodes: [4403],
    });
  });

  test('every bad field is named with its path and the fix, in one CONFIG error', () => {
    const error = thrownBy(() =>
      createGraphQLConnector({
        name: 'shop',
        baseUrl: 'ftp://x',
        endpoint: 'graphql?x=1',
        subscriptions: { url: 'http://127.0.0.1/graphql', keepAlive: -1, authCloseCodes: [1000] },
        // @ts-expect-error an unknown option is reported, not ignored
        validate: true,
      }),
    );
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain('config of GraphQL connector "shop"');
    expect(error.message).toContain('baseUrl: scheme "ftp:" is not supported');
    expect(error.message).toContain('endpoint: must be a path such as "/graphql"');
    expect(error.message).toContain('subscriptions.url: must be an absolute ws:// or wss:// URL');
    expect(error.message).toContain('subscriptions.keepAlive: must be a positive number of milliseconds');
    expect(thrownBy(() => createGraphQLConnector({ name: 'shop', baseUrl: 'http://127.0.0.1:4000', subscriptions: { credentialCheck: 'often' as never } })).message).toContain(
      'subscriptions.credentialCheck: must be a number of milliseconds such as 30000, or false to turn it off',
    );
    expect(error.message).toContain('subscriptions.authCloseCodes[0]: must be a close code from 4000 to 4999');
    expect(error.message).toContain('unknown field "validate"');
  });

  test('a protocol other than graphql is refused', () => {
    // @ts-expect-error protocol must be graphql
    expect(thrownBy(() => createGraphQLConnector({ name: 'shop', baseUrl: 'http://127.0.0.1:4000', protocol: 'rest' })).message).toContain('protocol: must be "graphql"');
  });

  test('".." in the endpoint is refused', () => {
    expect(thrownBy(() => createGraphQLConnector({ name: 'shop', baseUrl: 'http://127.0.0.1:4000', endpoint: '/a/../admin' })).message).toContain('must not contain "." or ".." segments');
  });
});
