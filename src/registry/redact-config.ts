import { isSecretRef } from '../auth/secret-ref.js';
import { REDACTED, Redactor } from '../observability/redact.js';

/** Auth fields that never hold a secret and help when reading a config. */
const PUBLIC_AUTH_FIELDS = new Set([
  'type', 'in', 'name', 'header', 'tokenUrl', 'scope', 'audience', 'resource', 'grant', 'clientAuth', 'clientId', 'username',
  'algorithm', 'issuer', 'subject', 'kid', 'keyId', 'storeKey', 'prefix', 'scheme',
]);

/**
 * A copy of a connector config safe to print: every auth field except a few known
 * public ones (type, tokenUrl, clientId, ...) is hidden unless it is a `${env:…}` or
 * `${file:…}` reference, fields and headers named like credentials are hidden, and a
 * literal `store.url` loses its user, password and query.
 *
 * @example
 * ```ts
 * import { redactConfig } from 'ia-connectors';
 * redactConfig({ name: 'a', auth: { type: 'bearer', token: 'abc123' } }); // { name: 'a', auth: { type: 'bearer', token: '[REDACTED]' } }
 * ```
 */
export function redactConfig(config: object): Record<string, unknown> {
  const copy = new Redactor().value(config) as Record<string, unknown>;
  const auth = (config as { auth?: unknown }).auth;
  if (auth !== undefined) copy['auth'] = hideAuth(auth, true);
  const headers = (config as { headers?: unknown }).headers;
  if (isRecord(headers)) copy['headers'] = hideHeaders(headers);
  const store = (config as { store?: unknown }).store;
  if (isRecord(store) && typeof store['url'] === 'string') copy['store'] = { ...(copy['store'] as object), url: hideStoreUrl(store['url']) };
  return copy;
}

function hideAuth(value: unknown, top: boolean, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => hideAuth(item, false));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideAuth(v, false, k)]));
  }
  if (typeof value === 'function') return '[function]';
  if (typeof value !== 'string' || isSecretRef(value)) return value;
  return !top && key !== undefined && PUBLIC_AUTH_FIELDS.has(key) ? value : REDACTED;
}

function hideStoreUrl(url: string): string {
  if (isSecretRef(url)) return url;
  if (!URL.canParse(url)) return REDACTED;
  const { protocol, username, password, host, pathname } = new URL(url);
  const credentials = username || password ? `${username ? REDACTED : ''}${password ? `:${REDACTED}` : ''}@` : '';
  return `${protocol}//${credentials}${host}${pathname}`;
}

function hideHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const redactor = new Redactor();
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      typeof value === 'string' && !isSecretRef(value) && (redactor.isSensitiveHeader(name) || /key|token|secret|auth|pass|cookie|session/i.test(name)) ? REDACTED : value,
    ]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
