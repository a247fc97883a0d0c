import { ConnectorError } from '../../core/errors.js';

/**
 * Callers waiting for the next pong, e.g. a health check's ping.
 *
 * @example
 * ```ts
 * import { PongWaiters } from './pong-waiters.js';
 * const pongs = new PongWaiters();
 * const rtt = pongs.wait(() => socket.ping(), 5000, 'feed');
 * pongs.pong(); // when the pong arrives
 * declare const socket: { ping(): void };
 * ```
 */
export class PongWaiters {
  #waiting: (() => void)[] = [];

  /** Calls `ping` and resolves with the round-trip time in ms; `TIMEOUT` after `timeoutMs`. */
  wait(ping: () => void, timeoutMs: number, connector: string): Promise<number> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((w) => w !== done);
        reject(new ConnectorError('TIMEOUT', `no pong from the server of connector "${connector}" within ${timeoutMs} ms`, { details: { connector, timeoutMs } }));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      };
      this.#waiting.push(done);
      ping();
    });
  }

  /** A pong arrived: every waiter resolves. */
  pong(): void {
    if (this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const done of waiting) done();
  }
}
