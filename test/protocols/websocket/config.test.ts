import { describe, expect, test } from 'vitest';
import { createWebSocketConnector } from '../../../src/protocols/websocket/create.js';
import { websocketConnectorConfigSchema } from '../../../src/protocols/websocket/config.js';
import { socketUrl, withQuery } from '../../../src/protocols/websocket/url.js';

function configError(options: Record<string, unknown>): { code?: string; message: string } {
  try {
    createWebSocketConnector({ name: 'feed', ...options } as Parameters<typeof createWebSocketConnector>[0]);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a CONFIG error');
}

describe('socket URL', () => {
  test('http becomes ws, https becomes wss, the base path prefixes the endpoint and both queries are kept', () => {
    expect(socketUrl('http://127.0.0.1:8080', '/ws').href).toBe('ws://127.0.0.1:8080/ws');
    expect(socketUrl('https://api.test/v1/', '/stream?room=1').href).toBe('wss://api.test/v1/stream?room=1');
    expect(socketUrl('wss://api.test/v1?team=a', '/s?room=1').href).toBe('wss://api.test/v1/s?team=a&room=1');
    expect(socketUrl('ws://127.0.0.1:9/base', '').href).toBe('ws://127.0.0.1:9/base');
  });

  test('withQuery sets parameters on a copy and leaves the URL alone when there are none', () => {
    expect(withQuery('ws://h/ws?a=1', { access_token: 't k' })).toBe('ws://h/ws?a=1&access_token=t+k');
    expect(withQuery('ws://h/ws', {})).toBe('ws://h/ws');
    expect(withQuery('ws://h/ws', undefined)).toBe('ws://h/ws');
  });

  test('socketUrl refuses what the schema would have refused', () => {
    expect(() => socketUrl('not a url', '/ws')).toThrow(/baseUrl/);
    expect(() => socketUrl('ftp://h', '/ws')).toThrow(/scheme "ftp:"/);
  });
});

describe('bad configuration is a CONFIG error naming the field and the fix', () => {
  test('a base URL that is not a URL', () => {
    const error = configError({ baseUrl: 'localhost:8080' });
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/baseUrl: .*scheme "localhost:" is not supported; use ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//);
  });

  test('a relative base URL', () => {
    const error = configError({ baseUrl: '/ws' });
    expect(error.message).toMatch(/baseUrl: "\/ws" is not an absolute URL; write it as "wss:\/\/stream.example.com"/);
  });

  test('an unsupported scheme', () => {
    expect(configError({ baseUrl: 'ftp://127.0.0.1/' }).message).toMatch(/baseUrl: scheme "ftp:" is not supported/);
  });

  test('credentials in the URL and a fragment', () => {
    const message = configError({ baseUrl: 'wss://user:pw@127.0.0.1/#x' }).message;
    expect(message).toMatch(/credentials in the URL are not allowed; use the auth setting instead/);
    expect(message).toMatch(/remove the "#fragment"/);
    expect(message).not.toContain('pw@');
  });

  test('an endpoint without a leading slash, with dot segments, or with a fragment', () => {
    expect(configError({ baseUrl: 'ws://127.0.0.1', endpoint: 'ws' }).message).toMatch(/endpoint: must start with a single "\/", e.g. "\/ws"/);
    expect(configError({ baseUrl: 'ws://127.0.0.1', endpoint: '/a/../admin' }).message).toMatch(/endpoint: must not contain "." or ".." segments/);
    expect(configError({ baseUrl: 'ws://127.0.0.1', endpoint: '/ws#x' }).message).toMatch(/endpoint: remove the "#fragment"/);
  });

  test('auth placement settings that do not apply', () => {
    const error = configError({ baseUrl: 'ws://127.0.0.1', authQueryParam: 'token' });
    expect(error.message).toMatch(/authQueryParam: applies to authIn: "query" only; set authIn: "query" or remove it/);
    expect(configError({ baseUrl: 'ws://127.0.0.1', authIn: 'cookie' }).message).toMatch(/authIn: must be "headers", "query" or "message"/);
  });

  test('bounds, subprotocols and unknown fields', () => {
    const message = configError({
      baseUrl: 'ws://127.0.0.1',
      maxPayload: 0,
      subprotocols: ['ok', 'bad name', 'ok'],
      receiveBuffer: { size: 0, overflow: 'block' },
      reconnect: { maxAttempts: 0 },
      heartbeat: { interval: -1 },
      sendQueue: { size: 1.5 },
      colour: 'blue',
    }).message;
    expect(message).toMatch(/maxPayload: must be a positive number of bytes/);
    expect(message).toMatch(/subprotocols\[1\]: is not a valid subprotocol name/);
    expect(message).toMatch(/subprotocols: must not repeat a subprotocol/);
    expect(message).toMatch(/receiveBuffer.size: must be at least 1/);
    expect(message).toMatch(/receiveBuffer.overflow: must be "error" or "drop-oldest"/);
    expect(message).toMatch(/reconnect.maxAttempts: must be at least 1/);
    expect(message).toMatch(/heartbeat.interval: must be a positive number of milliseconds/);
    expect(message).toMatch(/sendQueue.size: must be a whole number of messages/);
    expect(message).toMatch(/unknown field "colour"/);
  });

  test('the connector names itself in the message', () => {
    expect(configError({ baseUrl: 42 }).message).toMatch(/^invalid config of WebSocket connector "feed"/);
  });
});

describe('defaults', () => {
  test('a minimal config fills every default', () => {
    const cfg = websocketConnectorConfigSchema.parse({ name: 'feed', protocol: 'websocket', baseUrl: 'ws://127.0.0.1:1' });
    expect(cfg).toMatchObject({
      endpoint: '',
      maxPayload: 16 * 1024 * 1024,
      perMessageDeflate: false,
      format: 'json',
      authIn: 'headers',
      tls: { rejectUnauthorized: true },
      heartbeat: { interval: 30_000, timeout: 10_000 },
      reconnect: { maxAttempts: 10, baseDelay: 500, maxDelay: 30_000, jitter: 'full' },
      receiveBuffer: { size: 1000, overflow: 'error' },
      sendQueue: { size: 1000 },
      correlation: { field: 'id', timeout: 30_000 },
    });
  });

  test('heartbeat and reconnect can be turned off', () => {
    const cfg = websocketConnectorConfigSchema.parse({ name: 'f', protocol: 'websocket', baseUrl: 'ws://h', heartbeat: false, reconnect: false });
    expect(cfg.heartbeat).toBe(false);
    expect(cfg.reconnect).toBe(false);
  });
});
