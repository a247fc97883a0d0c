import { toAbortSignal, type CallSignal } from '../core/call-signal.js';
import { z } from 'zod';
import { ConnectorError, isConnectorError } from '../core/errors.js';
import { isHeaderName, unauthorizedStatusesSchema } from './common-schema.js';
import { assertHeaderValue } from './header-value.js';
import { SecretHistory } from './secret-history.js';
import type { AuthCredentials, AuthLayerContext, AuthStrategy } from './strategy.js';

/**
 * Returns the headers that authenticate one request, synchronously or not.
 *
 * @example
 * ```ts
 * import type { HeadersProvider } from 'ia-connectors';
 * const hmac: HeadersProvider = () => ({ 'X-Signature': sign(Date.now()) });
 * declare function sign(t: number): string;
 * ```
 */
export type HeadersProvider = (signal?: AbortSignal) => Record<string, string> | Promise<Record<string, string>>;

/**
 * `custom` (in code): your function supplies the headers; the optional `refresh()`
 * runs after a rejected request (401 by default), which is then repeated once.
 * Every header it returns is treated as a secret: hidden in logs and dropped on
 * cross-origin redirects.
 *
 * @example
 * ```ts
 * import { customAuthSchema } from 'ia-connectors';
 * customAuthSchema.parse({ type: 'custom', getHeaders: () => ({ 'X-Session': 's-1' }) });
 * ```
 */
export const customAuthSchema = z
  .object({
    type: z.literal('custom'),
    getHeaders: z.custom<HeadersProvider>((v) => typeof v === 'function', { error: 'must be a function returning the headers (custom auth is set in code)' }),
    refresh: z.custom<() => void | Promise<void>>((v) => typeof v === 'function', { error: 'must be a function' }).optional(),
    unauthorizedStatuses: unauthorizedStatusesSchema(),
  })
  .strict();

/**
 * Parsed {@link customAuthSchema}.
 *
 * @example
 * ```ts
 * import type { CustomAuthConfig } from 'ia-connectors';
 * const c: CustomAuthConfig = { type: 'custom', getHeaders: async () => ({ 'X-Session': 's-1' }), unauthorizedStatuses: [401] };
 * ```
 */
export type CustomAuthConfig = z.output<typeof customAuthSchema>;

/**
 * The `custom` strategy around {@link HeadersProvider}.
 *
 * @example
 * ```ts
 * import { customStrategy, Redactor, TypedEvents } from 'ia-connectors';
 * const s = customStrategy({ type: 'custom', getHeaders: () => ({ 'x-session': 's-123' }), unauthorizedStatuses: [401] }, { connector: 'a', redactor: new Redactor(), events: new TypedEvents() });
 * ```
 */
export function customStrategy(config: CustomAuthConfig, context: AuthLayerContext): AuthStrategy {
  const history = new SecretHistory(context.redactor, 8);
  const fail = (what: string, error: unknown): ConnectorError =>
    isConnectorError(error)
      ? error
      : new ConnectorError('AUTH', `custom auth ${what} failed: ${context.redactor.message(error)}`, { cause: error, details: { connector: context.connector } });

  const credentials = async (signal?: CallSignal): Promise<AuthCredentials> => {
    let raw: unknown;
    try {
      // User code may hand the signal to fetch(), which insists on a real AbortSignal.
      raw = await config.getHeaders(toAbortSignal(signal));
    } catch (error) {
      throw fail('getHeaders()', error);
    }
    return { headers: normalise(raw) };
  };

  const normalise = (raw: unknown): Record<string, string> => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConnectorError('AUTH', `custom auth getHeaders() returned ${Array.isArray(raw) ? 'an array' : String(raw)}; return an object such as { 'X-Session': '...' }`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (typeof value !== 'string') {
        throw new ConnectorError('AUTH', `custom auth getHeaders() returned a ${typeof value} for header "${name}"; header values must be strings`);
      }
      if (!isHeaderName(name)) {
        throw new ConnectorError('AUTH', `custom auth getHeaders() returned an invalid header name "${name}"; use letters, digits and "-"`);
      }
      const lower = name.toLowerCase();
      // Registered before the request leaves, so a cross-origin redirect already drops them.
      context.redactor.add({ headers: [lower] });
      history.push(value);
      headers[lower] = assertHeaderValue(value, `the value custom auth getHeaders() returned for header "${name}"`, 'AUTH');
    }
    return headers;
  };

  const refresh = config.refresh;
  return {
    type: 'custom',
    open: async () => undefined,
    credentials,
    ...(refresh && {
      async refresh(_rejected: AuthCredentials, signal?: CallSignal) {
        try {
          await refresh();
        } catch (error) {
          throw fail('refresh()', error);
        }
        return credentials(signal);
      },
    }),
  };
}
