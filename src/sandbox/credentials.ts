import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The credentials a sandbox accepts: an OAuth 2.0 client (client_credentials grant),
 * an API key and the bearer token of the WebSocket service's handshake. Random per
 * start unless given, so a leaked log line is worth nothing and tests can check that
 * no output ever contains them.
 *
 * @example
 * ```ts
 * import type { SandboxCredentials } from 'ia-connectors';
 * const fixed: SandboxCredentials = { clientId: 'demo-client', clientSecret: 'demo-secret-123', apiKey: 'demo-key-123', websocketToken: 'demo-token-123' };
 * ```
 */
export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  apiKey: string;
  websocketToken: string;
}

/**
 * Fills in random values for the credentials not given.
 *
 * @example
 * ```ts
 * import { sandboxCredentials } from './credentials.js';
 * sandboxCredentials({ clientId: 'demo-client' }).clientSecret.startsWith('sbx_secret_'); // true
 * ```
 */
export function sandboxCredentials(given: Partial<SandboxCredentials> = {}): SandboxCredentials {
  return {
    clientId: given.clientId ?? 'sandbox-client',
    clientSecret: given.clientSecret ?? `sbx_secret_${randomBytes(18).toString('base64url')}`,
    apiKey: given.apiKey ?? `sbx_key_${randomBytes(18).toString('base64url')}`,
    websocketToken: given.websocketToken ?? `sbx_ws_${randomBytes(18).toString('base64url')}`,
  };
}

/**
 * Compares two strings in constant time for equal lengths, as a real service must.
 *
 * @example
 * ```ts
 * import { sameSecret } from './credentials.js';
 * sameSecret('abc', 'abc'); // true
 * ```
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
