import { createHash } from 'node:crypto';
import { ConnectorError } from '../../core/errors.js';
import { staleAt } from '../common-schema.js';
import { notOpened } from '../field.js';
import { assertHeaderValue } from '../header-value.js';
import { reportRefresh, type AuthRefreshReason } from '../refresh-event.js';
import { SecretHistory } from '../secret-history.js';
import { raceSignal, singleFlight } from '../single-flight.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from '../strategy.js';
import { MemoryTokenStore, type StoredToken, type TokenStore } from '../token-store.js';
import { prepareOAuth2Client, type OAuth2Client } from './client.js';
import { tokenRequestError } from './errors.js';
import { refreshWithLease } from './lease-refresh.js';
import type { OAuth2AuthConfig } from './schema.js';
import { requestToken } from './token-request.js';
import type { CallSignal } from '../../core/call-signal.js';

interface Current {
  token: StoredToken;
  creds: AuthCredentials;
  staleAt: number;
}

/**
 * The `oauth2` strategy. The hot path is a clock check against a local copy of the
 * token; only when it is stale (or rejected) does it consult the {@link TokenStore}
 * and, if the store has nothing fresher, fetch one token for all concurrent callers.
 *
 * With a shared store that offers refresh leases (`RedisTokenStore`), one process
 * refreshes under the lease while the others wait for its token and read it from the
 * store, so many workers cost one token request. After a 401, the rejected token is
 * never taken from the store again, and the process that saw the 401 marks the shared
 * copy stale (when it still is the rejected one) before fetching a new one. The
 * self-signed `jwt` strategy needs none of this: signing costs no request, so each
 * process signs its own token.
 *
 * @example
 * ```ts
 * import { oauth2Strategy, oauth2AuthSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const config = oauth2AuthSchema.parse({ type: 'oauth2', tokenUrl: 'http://127.0.0.1:9090/token', clientId: 'etl', clientSecret: '${env:ETL_SECRET}' });
 * const s = oauth2Strategy(config, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function oauth2Strategy(config: OAuth2AuthConfig, context: AuthLayerContext): AuthStrategy {
  const store = config.tokenStore ?? new MemoryTokenStore();
  const history = new SecretHistory(context.redactor, 4);
  let key = config.storeKey ?? '';
  let client: OAuth2Client | undefined;
  let current: Current | undefined;

  const adopt = (token: StoredToken): AuthCredentials => {
    history.push(token.accessToken);
    if (token.refreshToken) history.push(token.refreshToken);
    const value = assertHeaderValue(`Bearer ${token.accessToken}`, `the access_token from ${context.redactor.url(config.tokenUrl)}`, 'AUTH');
    const creds: AuthCredentials = Object.freeze({ headers: Object.freeze({ authorization: value }) });
    current = { token, creds, staleAt: staleAt(token.obtainedAt, token.expiresAt, config.expirySkew) };
    return creds;
  };

  const fetchToken = async (stored: StoredToken | undefined): Promise<StoredToken> => {
    const ready = client ?? notOpened('oauth2');
    try {
      const token = await requestToken(ready, stored?.refreshToken ?? ready.refreshToken, config.assertion, (s) => history.push(s));
      if (token.tokenType !== 'bearer') {
        throw new ConnectorError('AUTH', `the token endpoint issued a "${token.tokenType}" token; only Bearer tokens are supported`);
      }
      return token;
    } catch (error) {
      throw await tokenRequestError(error, { connector: context.connector, tokenUrl: config.tokenUrl, grant: config.grant, timeoutMs: config.tokenTimeout, redactor: context.redactor });
    }
  };

  // A shared store (e.g. Redis) can fail; say so instead of surfacing its raw error.
  const fromStore = async <T>(what: string, operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw new ConnectorError('AUTH', `connector "${context.connector}": the OAuth token store failed to ${what}: ${context.redactor.message(error)}`, {
        retryable: true,
        cause: error,
        details: { connector: context.connector },
      });
    }
  };

  const isUsable = (stored: StoredToken, rejected: string | undefined): boolean =>
    stored.accessToken !== rejected && Date.now() < staleAt(stored.obtainedAt, stored.expiresAt, config.expirySkew);

  const renewAlone = async (reason: AuthRefreshReason, rejected: string | undefined): Promise<StoredToken> => {
    const stored = await fromStore('read the token', () => store.get(key));
    if (stored && isUsable(stored, rejected)) return stored;
    try {
      const token = await reportRefresh(context, 'oauth2', reason, () => fetchToken(stored));
      await fromStore('save the token', () => store.set(key, token));
      return token;
    } catch (error) {
      // Keep the refresh token, but make sure nobody reuses an access token the server rejected.
      if (stored && rejected !== undefined && stored.accessToken === rejected) {
        // Best effort: the token request's failure is the one to report.
        await store.set(key, { ...stored, expiresAt: 0 }).catch(() => undefined);
      }
      throw error;
    }
  };

  const renewShared = (reason: AuthRefreshReason, rejected: string | undefined, leases: LeasingStore): Promise<StoredToken> =>
    refreshWithLease(
      {
        read: () => fromStore('read the token', () => store.get(key)),
        isUsable: (stored) => isUsable(stored, rejected),
        acquire: (ttlMs) => fromStore('take the refresh lease', () => leases.acquireRefreshLease(key, ttlMs)),
        wait: (timeoutMs) => fromStore('wait for a token from another process', () => leases.waitForUpdate?.(key, timeoutMs) ?? sleep(timeoutMs)),
        async refresh(latest) {
          // Under the lease this process is the only writer, so the shared copy is still the rejected one.
          if (latest && rejected !== undefined && latest.accessToken === rejected) {
            await fromStore('mark the rejected token stale', () => store.set(key, { ...latest, expiresAt: 0 }));
          }
          const token = await reportRefresh(context, 'oauth2', reason, () => fetchToken(latest));
          await fromStore('save the token', () => store.set(key, token));
          return token;
        },
      },
      { connector: context.connector, tokenTimeoutMs: config.tokenTimeout },
    );

  // One flight per store and key: a token another caller (or, with a shared store,
  // another worker) has just obtained is taken instead of fetching again.
  const renew = (reason: AuthRefreshReason, rejected: string | undefined, signal: CallSignal | undefined): Promise<AuthCredentials> =>
    raceSignal(
      singleFlight(store, key, async () => adopt(hasLeases(store) ? await renewShared(reason, rejected, store) : await renewAlone(reason, rejected))),
      signal,
    );

  return {
    type: 'oauth2',
    async open() {
      client = await prepareOAuth2Client(config, context);
      key ||= storeKey(config, client);
    },
    credentials(signal) {
      const now = current;
      if (now && Date.now() < now.staleAt) return now.creds;
      return renew(now ? 'expired' : 'initial', undefined, signal);
    },
    refresh(rejected, signal) {
      const now = current;
      // Another request already replaced the rejected token: use the new one.
      if (now && now.creds !== rejected && Date.now() < now.staleAt) return Promise.resolve(now.creds);
      const token = now?.creds === rejected ? now.token.accessToken : undefined;
      current = undefined;
      return renew('unauthorized', token, signal);
    },
  };
}

type LeasingStore = TokenStore & Required<Pick<TokenStore, 'acquireRefreshLease'>>;

function hasLeases(store: TokenStore): store is LeasingStore {
  return typeof store.acquireRefreshLease === 'function';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function storeKey(config: OAuth2AuthConfig, client: OAuth2Client): string {
  const parts = [config.grant, config.tokenUrl, client.client.client_id, client.params.toString()];
  // Two refresh tokens of the same client belong to different users: never share their tokens.
  if (client.refreshToken) parts.push(createHash('sha256').update(client.refreshToken).digest('base64url').slice(0, 16));
  return `oauth2:${parts.join('|')}`;
}
