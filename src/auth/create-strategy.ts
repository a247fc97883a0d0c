import { apiKeyStrategy } from './api-key.js';
import { basicStrategy } from './basic.js';
import { bearerStrategy } from './bearer.js';
import { customStrategy } from './custom.js';
import { jwtStrategy } from './jwt/strategy.js';
import { oauth2Strategy } from './oauth2/strategy.js';
import type { AuthConfig } from './schema.js';
import type { AuthLayerContext, AuthStrategy } from './strategy.js';

/**
 * The protocol-neutral strategy for a parsed auth config, or `undefined` for
 * `none`. REST applies it with `authLayer`; gRPC metadata and WebSocket handshakes
 * use the same strategies.
 *
 * @example
 * ```ts
 * import { createAuthStrategy, Redactor, TypedEvents } from 'ia-connectors';
 * const strategy = createAuthStrategy({ type: 'bearer', token: '${env:USERS_TOKEN}' }, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * await strategy?.open();
 * ```
 */
export function createAuthStrategy(config: AuthConfig, context: AuthLayerContext): AuthStrategy | undefined {
  switch (config.type) {
    case 'none':
      return undefined;
    case 'api_key':
      return apiKeyStrategy(config, context);
    case 'bearer':
      return bearerStrategy(config, context);
    case 'basic':
      return basicStrategy(config, context);
    case 'oauth2':
      return oauth2Strategy(config, context);
    case 'jwt':
      return jwtStrategy(config, context);
    case 'custom':
      return customStrategy(config, context);
  }
}

/**
 * The statuses after which a config's credential is renewed and the request
 * repeated once (`[401]` unless configured); empty for static schemes.
 *
 * @example
 * ```ts
 * import { unauthorizedStatuses } from 'ia-connectors';
 * unauthorizedStatuses({ type: 'basic', username: 'u', password: 'p' }); // []
 * ```
 */
export function unauthorizedStatuses(config: AuthConfig): readonly number[] {
  if ('unauthorizedStatuses' in config) return config.unauthorizedStatuses;
  return config.type === 'bearer' ? [401] : [];
}
