import { z } from 'zod';
import { ConnectorError } from '../core/errors.js';
import { fieldLabel, notOpened } from './field.js';
import { resolveSecretRef } from './secret-ref.js';
import { secretString } from './secret-schema.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from './strategy.js';

/**
 * `basic`: HTTP Basic authentication (RFC 7617), user and password encoded as UTF-8.
 *
 * @example
 * ```ts
 * import { basicAuthSchema } from 'ia-connectors';
 * basicAuthSchema.parse({ type: 'basic', username: 'etl', password: '${file:/run/secrets/etl_password}' });
 * ```
 */
export const basicAuthSchema = z
  .object({
    type: z.literal('basic'),
    /** May be a reference too; it must not contain ":". */
    username: secretString().refine((u) => !u.includes(':') || u.startsWith('${'), {
      error: 'must not contain ":" (RFC 7617 uses it to separate user and password)',
    }),
    password: secretString(),
  })
  .strict();

/**
 * Parsed {@link basicAuthSchema}.
 *
 * @example
 * ```ts
 * import type { BasicAuthConfig } from 'ia-connectors';
 * const b: BasicAuthConfig = { type: 'basic', username: 'etl', password: '${env:ETL_PASSWORD}' };
 * ```
 */
export type BasicAuthConfig = z.output<typeof basicAuthSchema>;

/**
 * The `basic` strategy: the `Authorization: Basic ...` value is built once at `open()`.
 *
 * @example
 * ```ts
 * import { basicStrategy, Redactor, TypedEvents } from 'ia-connectors';
 * const s = basicStrategy({ type: 'basic', username: 'etl', password: 'pa55word' }, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function basicStrategy(config: BasicAuthConfig, context: AuthLayerContext): AuthStrategy {
  let prepared: AuthCredentials | undefined;
  return {
    type: 'basic',
    async open() {
      const { redactor } = context;
      const username = await resolveSecretRef(config.username, { field: 'auth.username' });
      const password = await resolveSecretRef(config.password, { field: 'auth.password', redactor });
      if (username.includes(':')) {
        throw new ConnectorError('CONFIG', `${fieldLabel('auth.username', config.username)} contains ":", which RFC 7617 reserves as the separator; use a user name without it`);
      }
      // Base64 makes any UTF-8 text header-safe; RFC 7617 only rules out control characters.
      for (const [field, value, raw] of [['auth.username', username, config.username], ['auth.password', password, config.password]] as const) {
        if (hasControlCharacter(value)) {
          throw new ConnectorError('CONFIG', `${fieldLabel(field, raw)} contains a control character (line break, tab, ...); RFC 7617 forbids them, remove it`);
        }
      }
      const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
      redactor.add({ secrets: [encoded] });
      prepared = Object.freeze({ headers: Object.freeze({ authorization: `Basic ${encoded}` }) });
    },
    fixed: true,
    credentials() {
      return prepared ?? notOpened('basic');
    },
  };
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
