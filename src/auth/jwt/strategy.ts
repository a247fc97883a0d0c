import { ConnectorError, isConnectorError } from '../../core/errors.js';
import { staleAt } from '../common-schema.js';
import { notOpened } from '../field.js';
import { reportRefresh, type AuthRefreshReason } from '../refresh-event.js';
import { SecretHistory } from '../secret-history.js';
import { singleFlight } from '../single-flight.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from '../strategy.js';
import type { SigningKey } from './keys.js';
import { resolveSigningKey } from './resolve-key.js';
import type { JwtAuthConfig } from './schema.js';
import { signJwt, type SignedJwt } from './sign.js';

interface Cached {
  creds: AuthCredentials;
  staleAt: number;
}

/**
 * The `jwt` strategy: the key is imported once at `open()`; tokens are signed with
 * `jose`, cached until `expirySkew` before expiry (or per request with `cache: false`),
 * and re-signed once after a rejected request. Tokens are not shared between
 * processes (there is no token store): signing is local and costs no request to any
 * server, so each process signing its own is as cheap as reading a shared one.
 *
 * @example
 * ```ts
 * import { jwtStrategy, jwtAuthSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const config = jwtAuthSchema.parse({ type: 'jwt', secret: 'a-shared-secret-of-32-bytes-or-more!', issuer: 'etl' });
 * const s = jwtStrategy(config, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function jwtStrategy(config: JwtAuthConfig, context: AuthLayerContext): AuthStrategy {
  const header = config.header.toLowerCase();
  const prefix = config.scheme === '' ? '' : `${config.scheme} `;
  const history = new SecretHistory(context.redactor);
  const flights = {};
  let key: SigningKey | undefined;
  let cached: Cached | undefined;

  const sign = async (): Promise<Cached> => {
    let signed: SignedJwt;
    try {
      signed = await signJwt(key ?? notOpened('jwt'), config);
    } catch (error) {
      if (isConnectorError(error)) throw error;
      throw new ConnectorError('AUTH', `signing the JWT failed: ${context.redactor.message(error)}; check auth.privateKey and auth.algorithm`, { details: { connector: context.connector } });
    }
    history.push(signed.token);
    const creds: AuthCredentials = Object.freeze({ headers: Object.freeze({ [header]: `${prefix}${signed.token}` }) });
    return { creds, staleAt: staleAt(signed.issuedAt, signed.expiresAt, config.expirySkew) };
  };

  const renew = (reason: AuthRefreshReason): Promise<AuthCredentials> =>
    singleFlight(flights, 'jwt', () =>
      reportRefresh(context, 'jwt', reason, async () => {
        cached = await sign();
        return cached.creds;
      }),
    );

  return {
    type: 'jwt',
    async open() {
      key = await resolveSigningKey(config, 'auth', context.redactor);
      context.redactor.add({ headers: [header] });
    },
    credentials() {
      if (!config.cache) return sign().then((s) => s.creds);
      if (cached && Date.now() < cached.staleAt) return cached.creds;
      return renew(cached ? 'expired' : 'initial');
    },
    async refresh(rejected) {
      if (!config.cache) return (await sign()).creds;
      if (cached && cached.creds !== rejected && Date.now() < cached.staleAt) return cached.creds;
      cached = undefined;
      return renew('unauthorized');
    },
  };
}
