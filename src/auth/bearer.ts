import { toAbortSignal, type CallSignal } from '../core/call-signal.js';
import { z } from 'zod';
import { ConnectorError, isConnectorError } from '../core/errors.js';
import { fieldLabel, notOpened } from './field.js';
import { assertHeaderValue } from './header-value.js';
import { SecretHistory } from './secret-history.js';
import { resolveSecretRef } from './secret-ref.js';
import { secretString } from './secret-schema.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from './strategy.js';

/**
 * Supplies a bearer token per request (in code only): read it from a vault, a
 * sidecar, or your own cache. It may return the same token many times.
 *
 * @example
 * ```ts
 * import type { TokenProvider } from 'ia-connectors';
 * const fromSidecar: TokenProvider = async (signal) => (await fetch('http://127.0.0.1:9000/token', { signal })).text();
 * ```
 */
export type TokenProvider = (signal?: AbortSignal) => string | Promise<string>;

/**
 * `bearer`: `Authorization: Bearer <token>` with a static token (literal or reference)
 * or, in code, a {@link TokenProvider} called per request.
 *
 * @example
 * ```ts
 * import { bearerAuthSchema } from 'ia-connectors';
 * bearerAuthSchema.parse({ type: 'bearer', token: '${env:USERS_TOKEN}' });
 * ```
 */
export const bearerAuthSchema = z
  .object({
    type: z.literal('bearer'),
    token: z.union([secretString(), z.custom<TokenProvider>((v) => typeof v === 'function')], {
      error: 'must be a token, "${env:NAME}", "${file:/path}" or (in code) a function returning the token',
    }),
  })
  .strict();

/**
 * Parsed {@link bearerAuthSchema}.
 *
 * @example
 * ```ts
 * import type { BearerAuthConfig } from 'ia-connectors';
 * const b: BearerAuthConfig = { type: 'bearer', token: async () => 'fresh-token' };
 * ```
 */
export type BearerAuthConfig = z.output<typeof bearerAuthSchema>;

/**
 * The `bearer` strategy. A static token is prepared once at `open()`; a provider is
 * asked per request and, after a 401, once more (a request is repeated only if it
 * then returns a different token).
 *
 * @example
 * ```ts
 * import { bearerStrategy, Redactor, TypedEvents } from 'ia-connectors';
 * const s = bearerStrategy({ type: 'bearer', token: 't0k3n-abc' }, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function bearerStrategy(config: BearerAuthConfig, context: AuthLayerContext): AuthStrategy {
  const provider = config.token;
  if (typeof provider === 'function') return providerStrategy(provider, context);
  let prepared: AuthCredentials | undefined;
  return {
    type: 'bearer',
    async open() {
      const token = await resolveSecretRef(provider, { field: 'auth.token', redactor: context.redactor });
      assertHeaderValue(token, fieldLabel('auth.token', provider), 'CONFIG');
      prepared = Object.freeze({ headers: Object.freeze({ authorization: `Bearer ${token}` }) });
    },
    fixed: true,
    credentials() {
      return prepared ?? notOpened('bearer');
    },
  };
}

function providerStrategy(provider: TokenProvider, context: AuthLayerContext): AuthStrategy {
  const history = new SecretHistory(context.redactor);
  const credentials = async (signal?: CallSignal): Promise<AuthCredentials> => {
    let token: unknown;
    try {
      // User code may hand the signal to fetch(), which insists on a real AbortSignal.
      token = await provider(toAbortSignal(signal));
    } catch (error) {
      if (isConnectorError(error)) throw error;
      throw new ConnectorError('AUTH', `the bearer token provider (auth.token) failed: ${context.redactor.message(error)}`, {
        cause: error,
        details: { connector: context.connector },
      });
    }
    if (typeof token !== 'string' || token === '') {
      throw new ConnectorError('AUTH', `the bearer token provider (auth.token) returned ${token === '' ? 'an empty string' : typeof token}; return the token as a non-empty string`);
    }
    history.push(token);
    assertHeaderValue(token, 'the token returned by auth.token', 'AUTH');
    return { headers: { authorization: `Bearer ${token}` } };
  };
  return { type: 'bearer', open: async () => undefined, credentials, refresh: (_rejected, signal) => credentials(signal) };
}
