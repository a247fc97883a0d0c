import type { Classifier } from './outcome.js';
import type { Handler } from './middleware.js';

/**
 * What a health probe found; never thrown, always returned.
 *
 * @example
 * ```ts
 * import type { HealthStatus } from 'ia-connectors';
 * const h: HealthStatus = { ok: true, latencyMs: 3.2, status: 200 };
 * ```
 */
export interface HealthStatus {
  ok: boolean;
  latencyMs: number;
  /** Protocol status (HTTP status, gRPC code) when one arrived. */
  status?: number;
  /** Why the probe failed, as `{ code, message }` of the error. */
  error?: { code: string; message: string };
}

/**
 * The protocol I/O a connector plugs into the shared chain. A transport knows its
 * protocol only: it sends one attempt and judges outcomes for the policies.
 *
 * @example
 * ```ts
 * import type { Transport } from 'ia-connectors';
 * const echo: Transport<string, string> = {
 *   open: async () => {}, close: async () => {},
 *   send: async (ctx) => ctx.request,
 *   classify: () => ({ retryable: false, failure: false, reason: 'ok' }),
 * };
 * ```
 */
export interface Transport<Req, Res> {
  /** Opens pools or channels; called once per connect. */
  open(): Promise<void>;
  /** Releases every socket; pending calls fail. */
  close(): Promise<void>;
  /** Performs one attempt. */
  send: Handler<Req, Res>;
  /** Judges an attempt's outcome for retry and breaker. */
  classify: Classifier<Req, Res>;
}
