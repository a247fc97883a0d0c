import type { z } from 'zod';
import { parseConfig } from '../core/config.js';
import { restConnectorConfigSchema } from '../protocols/rest/config.js';
import { LEGACY_KEYS, legacyConnectorConfigSchema, type LegacyConnectorConfig } from './legacy-schema.js';
import type { Origin } from './origins.js';

type Parsed = z.output<typeof legacyConnectorConfigSchema>;

/** The camelCase field each legacy key becomes, for messages that teach the new form. */
const CAMEL_EQUIVALENT: Record<(typeof LEGACY_KEYS)[number], string> = {
  base_url: 'baseUrl',
  auth_type: 'auth.type',
  api_key: 'auth.apiKey',
  api_key_header: 'auth.name',
  bearer_token: 'auth.token',
  oauth2_client_id: 'auth.clientId',
  oauth2_client_secret: 'auth.clientSecret',
  oauth2_token_url: 'auth.tokenUrl',
  rate_limit: 'rateLimit.rate',
  rate_limit_window: 'rateLimit.intervalMs',
  max_retries: 'retry.maxAttempts',
  retry_backoff: 'retry.baseDelay',
  default_timeout: 'timeout.headers and timeout.bodyIdle',
  connection_timeout: 'timeout.connect',
  default_headers: 'headers',
};

/** Keys allowed in both forms. */
const SHARED_KEYS = new Set(['name', 'protocol', 'username', 'password']);
const CAMEL_KEYS = new Set(Object.keys(restConnectorConfigSchema.shape).filter((key) => !SHARED_KEYS.has(key)));

/**
 * True when a connector entry uses the legacy snake_case form: it has at least one of
 * {@link LEGACY_KEYS}.
 *
 * @example
 * ```ts
 * import { isLegacyConnector } from 'ia-connectors';
 * isLegacyConnector({ name: 'a', base_url: 'https://api.example.com' }); // true
 * isLegacyConnector({ name: 'a', baseUrl: 'https://api.example.com' }); // false
 * ```
 */
export function isLegacyConnector(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return LEGACY_KEYS.some((key) => Object.hasOwn(value, key));
}

/**
 * The message for a connector that mixes both forms, or undefined when it does not:
 * a legacy entry may hold only legacy keys plus `name`, `protocol`, `username` and
 * `password`, so a stray camelCase field is never silently ignored.
 *
 * @example
 * ```ts
 * import { mixedStyleProblem } from './legacy.js';
 * mixedStyleProblem({ name: 'a', base_url: 'https://x.test', retry: { maxAttempts: 2 } });
 * // 'mixes legacy snake_case fields (base_url) with camelCase fields (retry); ...'
 * ```
 */
export function mixedStyleProblem(entry: Record<string, unknown>): string | undefined {
  const legacy = LEGACY_KEYS.filter((key) => Object.hasOwn(entry, key));
  const camel = Object.keys(entry).filter((key) => CAMEL_KEYS.has(key));
  if (camel.length === 0) return undefined;
  const hints = legacy.map((key) => `${key} → ${CAMEL_EQUIVALENT[key]}`).join(', ');
  return `mixes legacy snake_case fields (${legacy.join(', ')}) with camelCase fields (${camel.join(', ')}); write the connector in one style (camelCase equivalents: ${hints})`;
}

/**
 * A legacy config turned into the camelCase REST config, with the origin of each
 * converted field so errors point at what the user wrote.
 *
 * @example
 * ```ts
 * import { normalizeLegacyConnector } from 'ia-connectors';
 * const { config } = normalizeLegacyConnector({ name: 'a', base_url: 'https://x.test', default_timeout: 5 });
 * config.timeout; // { headers: 5000, bodyIdle: 5000 }
 * ```
 */
export interface LegacyNormalization {
  config: Record<string, unknown>;
  origins: Origin[];
}

/**
 * Converts a parsed legacy config: seconds become milliseconds, `max_retries` (retries
 * after the first attempt) becomes `retry.maxAttempts = max_retries + 1`,
 * `retry_backoff` the exponential base delay, `rate_limit` per `rate_limit_window`
 * (default 60 s) a token bucket allowing that many at once, `auth_type` and its fields
 * the `auth` union, `default_headers` the `headers`. Fields that are absent stay absent,
 * so the camelCase defaults apply. An invalid entry throws a `CONFIG` error naming
 * every bad field.
 *
 * @example
 * ```ts
 * import { normalizeLegacyConnector } from 'ia-connectors';
 * normalizeLegacyConnector({ name: 'a', base_url: 'https://x.test', max_retries: 2 }).config.retry; // { maxAttempts: 3 }
 * ```
 */
export function normalizeLegacyConnector(entry: LegacyConnectorConfig): LegacyNormalization {
  const name = typeof entry?.name === 'string' ? entry.name : 'unnamed';
  return convertLegacy(parseConfig(legacyConnectorConfigSchema, entry, `legacy config of connector "${name}"`), []);
}

/**
 * {@link normalizeLegacyConnector} for an entry already parsed by
 * `legacyConnectorConfigSchema`; `base` is the entry's path in the file, so origins
 * point at the fields as written.
 *
 * @example
 * ```ts
 * import { convertLegacy } from './legacy.js';
 * import { legacyConnectorConfigSchema } from 'ia-connectors';
 * const parsed = legacyConnectorConfigSchema.parse({ name: 'a', base_url: 'https://x.test' });
 * convertLegacy(parsed, ['connectors', 0]).origins[0]?.source; // ['connectors', 0, 'name']
 * ```
 */
export function convertLegacy(legacy: Parsed, base: readonly PropertyKey[]): LegacyNormalization {
  const origins: Origin[] = [];
  const from = (target: PropertyKey[], key: string, note?: string): void => {
    origins.push({ target, source: [...base, key], ...(note === undefined ? {} : { note }) });
  };
  from(['name'], 'name');
  from(['protocol'], 'protocol');
  from(['baseUrl'], 'base_url');
  const config: Record<string, unknown> = { name: legacy.name, protocol: 'rest', baseUrl: legacy.base_url };
  if (legacy.default_headers !== undefined) {
    config['headers'] = legacy.default_headers;
    from(['headers'], 'default_headers');
  }
  config['auth'] = legacyAuth(legacy, from);
  const timeout: Record<string, number> = {};
  if (legacy.connection_timeout !== undefined) {
    timeout['connect'] = toMs(legacy.connection_timeout);
    from(['timeout', 'connect'], 'connection_timeout', 'converted from seconds to timeout.connect in ms');
  }
  if (legacy.default_timeout !== undefined) {
    timeout['headers'] = timeout['bodyIdle'] = toMs(legacy.default_timeout);
    from(['timeout', 'headers'], 'default_timeout', 'converted from seconds to timeout.headers in ms');
    from(['timeout', 'bodyIdle'], 'default_timeout', 'converted from seconds to timeout.bodyIdle in ms');
  }
  if (Object.keys(timeout).length > 0) config['timeout'] = timeout;
  const retry: Record<string, number> = {};
  if (legacy.max_retries !== undefined) {
    retry['maxAttempts'] = legacy.max_retries + 1;
    from(['retry', 'maxAttempts'], 'max_retries', `read as retry.maxAttempts = max_retries + 1 = ${legacy.max_retries + 1}`);
  }
  if (legacy.retry_backoff !== undefined) {
    retry['baseDelay'] = toMs(legacy.retry_backoff);
    from(['retry', 'baseDelay'], 'retry_backoff', 'converted from seconds to retry.baseDelay in ms');
    // The plan's backoff had no ceiling; keep the default cap unless the base alone exceeds it.
    if (retry['baseDelay'] > DEFAULT_MAX_DELAY_MS) {
      retry['maxDelay'] = retry['baseDelay'];
      from(['retry', 'maxDelay'], 'retry_backoff', 'also used as retry.maxDelay in ms');
    }
  }
  if (Object.keys(retry).length > 0) config['retry'] = retry;
  if (legacy.rate_limit !== undefined) {
    const windowMs = toMs(legacy.rate_limit_window ?? 60);
    config['rateLimit'] = { rate: legacy.rate_limit, intervalMs: windowMs, burst: legacy.rate_limit };
    from(['rateLimit'], 'rate_limit', `read as rateLimit: { rate: ${legacy.rate_limit}, intervalMs: ${windowMs}, burst: ${legacy.rate_limit} }`);
    if (legacy.rate_limit_window !== undefined) from(['rateLimit', 'intervalMs'], 'rate_limit_window', 'converted from seconds to rateLimit.intervalMs');
  }
  return { config, origins };
}

function legacyAuth(legacy: Parsed, from: (target: PropertyKey[], key: string, note?: string) => void): Record<string, unknown> {
  from(['auth'], 'auth_type');
  switch (legacy.auth_type) {
    case 'api_key':
      from(['auth', 'apiKey'], 'api_key');
      from(['auth', 'name'], 'api_key_header');
      return { type: 'api_key', apiKey: legacy.api_key, in: 'header', name: legacy.api_key_header ?? 'X-API-Key' };
    case 'bearer':
      from(['auth', 'token'], 'bearer_token');
      return { type: 'bearer', token: legacy.bearer_token };
    case 'basic':
      from(['auth', 'username'], 'username');
      from(['auth', 'password'], 'password');
      return { type: 'basic', username: legacy.username, password: legacy.password };
    case 'oauth2':
      from(['auth', 'clientId'], 'oauth2_client_id');
      from(['auth', 'clientSecret'], 'oauth2_client_secret');
      from(['auth', 'tokenUrl'], 'oauth2_token_url');
      return {
        type: 'oauth2',
        grant: 'client_credentials',
        clientId: legacy.oauth2_client_id,
        clientSecret: legacy.oauth2_client_secret,
        tokenUrl: legacy.oauth2_token_url,
      };
    default:
      return { type: 'none' };
  }
}

const DEFAULT_MAX_DELAY_MS = 30_000;

/** Seconds to whole milliseconds; sub-millisecond remainders carry no meaning here. */
function toMs(seconds: number): number {
  return Math.round(seconds * 1000);
}
