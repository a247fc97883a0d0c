import { isSecretRef, resolveSecretRef } from '../../../auth/secret-ref.js';
import { ConnectorError } from '../../../core/errors.js';
import { isRedisUrl } from '../../store-schema.js';

/**
 * Shows a Redis URL without its user information: `redis://***@host:6379/0`, so
 * neither a password nor an ACL user name reaches a log. Text that does not parse as
 * a URL is hidden entirely, since it may be a password itself.
 *
 * @example
 * ```ts
 * import { redactRedisUrl } from 'ia-connectors';
 * redactRedisUrl('redis://app:s3cret@cache:6379'); // 'redis://***@cache:6379'
 * ```
 */
export function redactRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(a Redis URL that does not parse)';
  }
  const hidden = parsed.username !== '' || parsed.password !== '';
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) if (/pass|user/i.test(name)) parsed.searchParams.set(name, '***');
  const text = parsed.toString().replace(/\/$/, '');
  return hidden ? text.replace('//', '//***@') : text;
}

/**
 * Checks a Redis URL: `redis://` or `rediss://` (TLS), with a host.
 *
 * @param option - names where the URL came from in messages, e.g. `--redis`.
 * @throws `CONFIG` {@link ConnectorError} showing the expected form; never the password.
 * @example
 * ```ts
 * import { checkRedisUrl } from './redis-url.js';
 * checkRedisUrl('redis://127.0.0.1:6379', '--redis');
 * ```
 */
export function checkRedisUrl(url: string, option = 'redis', shown = redactRedisUrl(url)): string {
  if (!isRedisUrl(url)) {
    throw new ConnectorError('CONFIG', `${option}: ${shown} is not a Redis URL; write redis://[user:password@]host[:port][/db] (rediss:// for TLS) or \${env:REDIS_URL}`);
  }
  return url;
}

/**
 * Resolves a Redis URL given as text or as a `${env:NAME}` / `${file:/path}`
 * reference, then checks it.
 *
 * @throws `CONFIG` {@link ConnectorError} when the reference cannot be resolved or the URL is not a Redis URL.
 * @example
 * ```ts
 * import { resolveRedisUrl } from 'ia-connectors';
 * const url = await resolveRedisUrl('${env:REDIS_URL}', { env: process.env, option: '--redis' });
 * ```
 */
export async function resolveRedisUrl(value: string, options: { env?: Readonly<Record<string, string | undefined>>; option?: string } = {}): Promise<string> {
  const option = options.option ?? 'redis';
  const reference = isSecretRef(value);
  const url = reference ? await resolveSecretRef(value, { field: option, ...(options.env ? { env: options.env } : {}) }) : value;
  // Name a reference, not its value: the value may be anything, a password included.
  return checkRedisUrl(url.trim(), option, reference ? `the value of ${value}` : redactRedisUrl(url));
}
