import { isSecretRef } from '../../auth/secret-ref.js';
import { Redactor } from '../redact.js';

/**
 * A connector config in its replay form: `auth: { type: 'none' }`, no header (nor gRPC
 * `metadata` entry) that holds a secret reference (`${env:…}`, `${file:…}`) or a
 * credential (`Authorization`, an API-key header), and no shared `store` (limiter and
 * breaker state stay in memory, so no Redis is reached). A replayed gRPC connector reads
 * no TLS file and a replayed WebSocket connector opens no socket, so their `tls`
 * settings stay as they are. The auth layer sits outside the
 * cassette and would otherwise resolve secrets and fetch OAuth tokens over the network;
 * replayed calls carry no credentials and match the recording all the same, because
 * recorded credentials are stored redacted and a redacted value matches any (or none).
 *
 * @example
 * ```ts
 * import { replayConfig, connectorConfigSchema } from 'ia-connectors';
 * const config = connectorConfigSchema.parse({ name: 'users', baseUrl: 'http://127.0.0.1:8080', auth: { type: 'bearer', token: '${env:USERS_TOKEN}' } });
 * replayConfig(config).auth; // { type: 'none' }
 * ```
 */
export function replayConfig<C extends { name: string }>(config: C): C {
  const names = new Redactor();
  const copy: Record<string, unknown> = { ...config };
  if ('auth' in copy) copy['auth'] = { type: 'none' };
  delete copy['store'];
  for (const field of ['headers', 'metadata']) {
    const entries = copy[field];
    if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) continue;
    copy[field] = Object.fromEntries(
      Object.entries(entries as Record<string, unknown>).filter(([name, value]) => !isSecretRef(value) && !names.isSensitiveHeader(name) && !names.isSecretName(name)),
    );
  }
  return copy as C;
}
