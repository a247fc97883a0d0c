import { scheduleDeadline, type ScheduledDeadline } from '../../core/deadlines.js';
import { ConnectorError } from '../../core/errors.js';
import type { WebSocketMessage } from './types.js';

interface Reader {
  readonly resolve: (message: WebSocketMessage | undefined) => void;
  readonly reject: (error: unknown) => void;
  readonly deadline: ScheduledDeadline | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * The bounded buffer of incoming messages no request claimed, read by `receive()`
 * and `stream()` in arrival order (one reader gets each message). It never holds
 * more than `size` messages. When full, `drop-oldest` discards the oldest; `error`
 * drops new messages until a reader has taken the `QUEUE_FULL` error, which comes
 * after the messages buffered before the loss, so a reader always knows where the
 * gap is.
 *
 * @example
 * ```ts
 * import { Inbox } from './inbox.js';
 * const inbox = new Inbox('feed', 100, 'drop-oldest', (n) => console.log(`dropped ${n}`));
 * inbox.push({ type: 'text', data: 'hi' });
 * await inbox.take(); // { type: 'text', data: 'hi' }
 * ```
 */
export class Inbox {
  readonly #items: WebSocketMessage[] = [];
  #head = 0;
  readonly #readers: Reader[] = [];
  #lost = 0;
  #ended = false;

  constructor(
    private readonly connector: string,
    private readonly size: number,
    private readonly overflow: 'error' | 'drop-oldest',
    private readonly onDrop: (count: number) => void,
  ) {}

  /** Messages waiting to be read. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds a message, or hands it straight to a waiting reader. */
  push(message: WebSocketMessage): void {
    if (this.#ended) return;
    const reader = this.#readers.shift();
    if (reader) {
      this.#release(reader);
      reader.resolve(message);
      return;
    }
    if (this.#lost > 0) {
      this.#lost++;
      this.onDrop(1);
      return;
    }
    if (this.length >= this.size) {
      this.onDrop(1);
      if (this.overflow === 'error') {
        this.#lost = 1;
        return;
      }
      this.#head++;
    }
    this.#items.push(message);
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /**
   * The next message; `undefined` once the inbox has ended (the connector closed).
   * Rejects with `QUEUE_FULL` where messages were lost, `TIMEOUT` after `timeoutMs`,
   * `ABORTED` when `signal` aborts.
   */
  take(timeoutMs?: number, signal?: AbortSignal): Promise<WebSocketMessage | undefined> {
    if (this.length > 0) {
      const message = this.#items[this.#head] as WebSocketMessage;
      this.#items[this.#head++] = undefined as unknown as WebSocketMessage;
      if (this.#head === this.#items.length) {
        this.#items.length = 0;
        this.#head = 0;
      }
      return Promise.resolve(message);
    }
    if (this.#lost > 0) return Promise.reject(this.#lossError());
    if (this.#ended) return Promise.resolve(undefined);
    if (signal?.aborted) return Promise.reject(this.#abortError(signal));
    return new Promise((resolve, reject) => {
      let reader: Reader | undefined = undefined;
      const fail = (error: ConnectorError): void => {
        const at = this.#readers.indexOf(reader as Reader);
        if (at < 0) return;
        this.#readers.splice(at, 1);
        this.#release(reader as Reader);
        reject(error);
      };
      const deadline =
        timeoutMs === undefined
          ? undefined
          : scheduleDeadline(timeoutMs, () =>
              fail(new ConnectorError('TIMEOUT', `no message arrived on connector "${this.connector}" within ${timeoutMs} ms`, { details: { connector: this.connector, timeoutMs } })),
            );
      const onAbort = signal ? (): void => fail(this.#abortError(signal)) : undefined;
      reader = { resolve, reject, deadline, signal, onAbort };
      this.#readers.push(reader);
      if (signal && onAbort) signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops waiting readers with `error`; buffered messages stay readable. */
  interrupt(error: unknown): void {
    for (const reader of this.#readers.splice(0)) {
      this.#release(reader);
      reader.reject(error);
    }
  }

  /** Ends the inbox: buffered messages are discarded and every reader gets `undefined`. */
  end(): void {
    this.#ended = true;
    this.#items.length = 0;
    this.#head = 0;
    this.#lost = 0;
    for (const reader of this.#readers.splice(0)) {
      this.#release(reader);
      reader.resolve(undefined);
    }
  }

  /** Accepts messages again after {@link Inbox.end}. */
  reopen(): void {
    this.#ended = false;
  }

  #lossError(): ConnectorError {
    const lost = this.#lost;
    this.#lost = 0;
    return new ConnectorError(
      'QUEUE_FULL',
      `the receive buffer of connector "${this.connector}" was full (${this.size} messages) and ${lost} message(s) were dropped; read faster, raise receiveBuffer.size, or set receiveBuffer.overflow: "drop-oldest"`,
      { details: { connector: this.connector, dropped: lost, size: this.size } },
    );
  }

  #abortError(signal: AbortSignal): ConnectorError {
    return new ConnectorError('ABORTED', `waiting for a message on connector "${this.connector}" was aborted by the caller's AbortSignal`, { cause: signal.reason });
  }

  #release(reader: Reader): void {
    reader.deadline?.cancel();
    if (reader.onAbort) reader.signal?.removeEventListener('abort', reader.onAbort);
  }
}
