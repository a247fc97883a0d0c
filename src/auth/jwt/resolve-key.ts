import type { JWK } from 'jose';
import type { Redactor } from '../../observability/redact.js';
import { resolveSecretRef, resolveSecretRefs } from '../secret-ref.js';
import { importSigningKey, type JwtAlgorithm, type SigningKey } from './keys.js';

/**
 * Key fields as written in a config, before secret references are resolved.
 *
 * @example
 * ```ts
 * import type { KeyConfig } from 'ia-connectors';
 * const k: KeyConfig = { privateKey: '${file:/run/secrets/jwt.pem}', keyId: 'k1' };
 * ```
 */
export interface KeyConfig {
  algorithm?: JwtAlgorithm | undefined;
  secret?: string | undefined;
  privateKey?: string | Record<string, unknown> | undefined;
  keyId?: string | undefined;
}

/**
 * Resolves a key's secret references, registers the material on the redactor and
 * imports it: done once, at connect.
 *
 * @example
 * ```ts
 * import { resolveSigningKey, Redactor } from 'ia-connectors';
 * const key = await resolveSigningKey({ secret: '${env:JWT_SECRET}' }, 'auth', new Redactor());
 * ```
 */
export async function resolveSigningKey(config: KeyConfig, field: string, redactor: Redactor): Promise<SigningKey> {
  const secret = config.secret === undefined ? undefined : await resolveSecretRef(config.secret, { field: `${field}.secret`, redactor });
  let privateKey: string | JWK | undefined;
  if (typeof config.privateKey === 'string') {
    privateKey = await resolveSecretRef(config.privateKey, { field: `${field}.privateKey`, redactor });
  } else if (config.privateKey !== undefined) {
    const jwk = await resolveSecretRefs(config.privateKey, { field: `${field}.privateKey`, redactor });
    // The private members of an inline JWK are secrets even when written literally.
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
      const value = jwk[member];
      if (typeof value === 'string') redactor.add({ secrets: [value] });
    }
    privateKey = jwk as JWK;
  }
  return importSigningKey({
    field,
    ...(secret !== undefined ? { secret } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(config.algorithm ? { algorithm: config.algorithm } : {}),
    ...(config.keyId ? { keyId: config.keyId } : {}),
  });
}
