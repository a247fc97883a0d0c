import { ConnectorError, isConnectorError } from '../core/errors.js';
import type { CallSignal } from '../core/call-signal.js';

/**
 * The error for an aborted wait: the signal's reason when it is a
 * `ConnectorError` (a timeout layer's `TIMEOUT`), otherwise `ABORTED` naming what
 * was waiting.
 *
 * @example
 * ```ts
 * import { abortError } from 'ia-connectors';
 * const c = new AbortController(); c.abort();
 * abortError(c.signal, 'the retry wait').code; // 'ABORTED'
 * ```
 */
export function abortError(signal: CallSignal, what: string): ConnectorError {
  const reason: unknown = signal.reason;
  if (isConnectorError(reason)) return reason;
  return new ConnectorError('ABORTED', `${what} was aborted by the caller's AbortSignal`, { cause: reason });
}

/**
 * Waits `ms` milliseconds on the global timer (so fake timers control it); rejects
 * as soon as `signal` aborts, with {@link abortError}. The timer keeps the process
 * alive on purpose: a script awaiting a backoff has nothing else pending.
 *
 * @example
 * ```ts
 * import { sleep } from 'ia-connectors';
 * await sleep(250, AbortSignal.timeout(1000), 'the backoff');
 * ```
 */
export function sleep(ms: number, signal: CallSignal | undefined, what: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as CallSignal, what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * True when `value` is a promise-like, so a store's synchronous answer can skip a
 * microtask on the hot path.
 *
 * @example
 * ```ts
 * import { isPromiseLike } from 'ia-connectors';
 * isPromiseLike(Promise.resolve(1)); // true
 * ```
 */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
