/**
 * Pings an open socket every `interval` ms and calls `onDead` when a pong has not
 * come `timeout` ms after a ping. Two timers per socket, none per message.
 *
 * @example
 * ```ts
 * import { Heartbeat } from './heartbeat.js';
 * const beat = new Heartbeat({ interval: 30_000, timeout: 10_000 }, () => socket.ping(), () => socket.terminate());
 * beat.start();
 * // on each pong: beat.pong(); on close: beat.stop();
 * declare const socket: { ping(): void; terminate(): void };
 * ```
 */
export class Heartbeat {
  #interval: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: { interval: number; timeout: number },
    private readonly ping: () => void,
    private readonly onDead: () => void,
  ) {}

  /** Starts pinging; a running heartbeat is restarted. */
  start(): void {
    this.stop();
    this.#interval = setInterval(() => this.#beat(), this.settings.interval);
    // The socket keeps the process alive while it is open; the heartbeat must not on its own.
    this.#interval.unref?.();
  }

  /** A pong arrived: the peer is alive. */
  pong(): void {
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  /** Stops both timers. */
  stop(): void {
    if (this.#interval !== undefined) clearInterval(this.#interval);
    this.#interval = undefined;
    this.pong();
  }

  #beat(): void {
    this.ping();
    // An unanswered ping keeps its deadline: later pings must not push the verdict back.
    if (this.#deadline !== undefined) return;
    this.#deadline = setTimeout(() => {
      this.#deadline = undefined;
      this.stop();
      this.onDead();
    }, this.settings.timeout);
    this.#deadline.unref?.();
  }
}
