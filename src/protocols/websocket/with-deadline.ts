import { ConnectorError } from '../../core/errors.js';

/**
 * Settles like `promise`, or rejects with `TIMEOUT` after `ms`; the work itself
 * goes on (used where the work, like a connect, is shared and must not be cut off).
 *
 * @example
 * ```ts
 * import { withDeadline } from './with-deadline.js';
 * await withDeadline(new Promise((r) => setTimeout(r, 10)), 1000, 'the warm-up');
 * ```
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ConnectorError('TIMEOUT', `${what} did not finish within ${ms} ms`, { details: { timeoutMs: ms } })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
