import { request } from 'undici';
import { afterEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

/** Starts a sandbox per test on demand and closes it afterwards. */
export function useSandbox(): { start(options?: SandboxOptions): Promise<Sandbox> } {
  let current: Sandbox | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async start(options) {
      current = await startSandbox(options);
      return current;
    },
  };
}

/** A plain HTTP call, so the sandbox is tested apart from the connectors. */
export async function call(
  url: string,
  init: { method?: 'GET' | 'POST' | 'DELETE'; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
  const res = await request(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const text = await res.body.text();
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, headers: res.headers, body: type.startsWith('application/json') ? (JSON.parse(text) as unknown) : text };
}

/** Gets an access token with HTTP Basic client authentication. */
export async function fetchToken(sandbox: Sandbox): Promise<string> {
  const { clientId, clientSecret } = sandbox.credentials;
  const res = await call(sandbox.urls.tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return (res.body as { access_token: string }).access_token;
}
