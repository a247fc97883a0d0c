import { ConnectorError } from '../core/errors.js';
import { isSecretRef } from './secret-ref.js';

/**
 * Names a secret field for a message without showing its value: `auth.token`, or
 * `auth.token (${env:USERS_TOKEN})` when it came from a reference.
 *
 * @example
 * ```ts
 * import { fieldLabel } from 'ia-connectors';
 * fieldLabel('auth.token', '${env:USERS_TOKEN}'); // 'auth.token (${env:USERS_TOKEN})'
 * ```
 */
export function fieldLabel(field: string, raw: unknown): string {
  return isSecretRef(raw) ? `${field} (${raw})` : field;
}

/**
 * The error for a strategy used before its layer was opened (the connector always
 * opens layers at connect, so this points at a strategy used on its own).
 *
 * @example
 * ```ts
 * import { notOpened } from 'ia-connectors';
 * const creds = undefined ?? notOpened('api_key');
 * ```
 */
export function notOpened(type: string): never {
  throw new ConnectorError('NOT_CONNECTED', `the ${type} auth strategy was used before open(); call connect() on the connector first`);
}
