import type { ConnectorEvents } from '../core/connector-events.js';
import { isConnectorError } from '../core/errors.js';
import type { AuthLayerContext } from './strategy.js';

/**
 * Why credentials are being fetched, as reported in the `authRefresh` event.
 *
 * @example
 * ```ts
 * import type { AuthRefreshReason } from 'ia-connectors';
 * const r: AuthRefreshReason = 'unauthorized';
 * ```
 */
export type AuthRefreshReason = ConnectorEvents['authRefresh']['reason'];

/**
 * Runs a credential fetch and reports it as an `authRefresh` event, success or
 * failure; the payload is built only when someone listens.
 *
 * @example
 * ```ts
 * import { reportRefresh, Redactor, TypedEvents } from 'ia-connectors';
 * const ctx = { connector: 'a', redactor: new Redactor(), events: new TypedEvents() };
 * await reportRefresh(ctx, 'oauth2', 'initial', async () => 'token');
 * ```
 */
export async function reportRefresh<T>(
  context: AuthLayerContext,
  strategy: string,
  reason: AuthRefreshReason,
  task: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const value = await task();
    if (context.events.has('authRefresh')) {
      context.events.emit('authRefresh', { connector: context.connector, strategy, reason, ok: true, durationMs: performance.now() - started });
    }
    return value;
  } catch (error) {
    if (context.events.has('authRefresh')) {
      const code = isConnectorError(error) ? error.code : 'AUTH';
      const message = context.redactor.message(error);
      const durationMs = performance.now() - started;
      context.events.emit('authRefresh', { connector: context.connector, strategy, reason, ok: false, durationMs, error: { code, message } });
    }
    throw error;
  }
}
