import { ConnectorError, isConnectorError } from '../core/errors.js';
import type { CallSignal } from '../core/call-signal.js';

const flights = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Runs `task` once for concurrent callers sharing `owner` and `key`: while a run is
 * in flight, later callers get the same promise. Keyed by owner (e.g. a token store)
 * so that two connectors sharing a store also share one token request.
 *
 * @example
 * ```ts
 * import { singleFlight } from 'ia-connectors';
 * const owner = {};
 * const [a, b] = await Promise.all([singleFlight(owner, 'k', async () => 1), singleFlight(owner, 'k', async () => 2)]); // 1, 1
 * ```
 */
export function singleFlight<T>(owner: object, key: string, task: () => Promise<T>): Promise<T> {
  let running = flights.get(owner);
  const existing = running?.get(key);
  if (existing) return existing as Promise<T>;
  if (!running) flights.set(owner, (running = new Map()));
  const map = running;
  const flight = Promise.resolve()
    .then(task)
    .finally(() => {
      if (map.get(key) === flight) map.delete(key);
    });
  map.set(key, flight);
  return flight;
}

/**
 * Waits for `promise`, or rejects as soon as `signal` aborts (with the signal's
 * reason when it is a `ConnectorError` such as `TIMEOUT`, `ABORTED` otherwise); the
 * shared work behind `promise` carries on for the other waiters.
 *
 * @example
 * ```ts
 * import { raceSignal } from 'ia-connectors';
 * await raceSignal(fetchToken(), AbortSignal.timeout(1000));
 * ```
 */
export function raceSignal<T>(promise: Promise<T>, signal: CallSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

function abortError(signal: CallSignal): ConnectorError {
  const reason: unknown = signal.reason;
  if (isConnectorError(reason)) return reason;
  return new ConnectorError('ABORTED', 'the call was aborted by its AbortSignal while waiting for credentials');
}
