import type { ObservedAttributes } from '../../core/observer.js';
import type { ObservedResult } from '../observer.js';

const STATUS_ATTRIBUTES = ['http.response.status_code', 'rpc.grpc.status_code'] as const;

/**
 * The HTTP status or gRPC status code an attempt or call ended with, when it has one.
 *
 * @example
 * ```ts
 * import { observedStatus } from './call-fields.js';
 * observedStatus({ 'http.response.status_code': 503 }); // 503
 * ```
 */
export function observedStatus(attributes: ObservedAttributes): number | undefined {
  for (const name of STATUS_ATTRIBUTES) {
    const value = attributes[name];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

/**
 * A short outcome for messages: the status, else the error code, else `ok`.
 *
 * @example
 * ```ts
 * import { outcomeText } from './call-fields.js';
 * outcomeText({ ok: false, attributes: {}, error: { code: 'NETWORK', message: 'reset' } }); // 'NETWORK'
 * ```
 */
export function outcomeText(result: ObservedResult): string {
  const status = observedStatus(result.attributes);
  if (status !== undefined) return String(status);
  return result.error?.code ?? (result.ok ? 'ok' : 'failed');
}

/**
 * A duration rounded for people: whole ms above 10 ms, one decimal below.
 *
 * @example
 * ```ts
 * import { roundMs } from './call-fields.js';
 * roundMs(3.14159); // 3.1
 * ```
 */
export function roundMs(ms: number): number {
  return ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10;
}
