import { isConnectorError } from '../../core/errors.js';
import type { WebSocketMessage } from './types.js';

/**
 * Where a {@link MessageStream} reads from: the next message (or `undefined` when
 * the connector closed), waiting until `signal` aborts.
 *
 * @example
 * ```ts
 * import type { MessageSource } from 'ia-connectors';
 * const none: MessageSource = async () => undefined;
 * ```
 */
export type MessageSource = (signal: AbortSignal) => Promise<WebSocketMessage | undefined>;

/**
 * The `AsyncIterable` returned by `stream()`: each `next()` takes one message from
 * the connector's bounded receive buffer. It ends when the connector closes or
 * when you `break`; it throws when the socket gave up reopening, when messages were
 * lost to a full buffer (`QUEUE_FULL`), or when your signal aborts (`ABORTED`).
 * Several streams (and `receive()`) share the buffer: each message goes to one reader.
 *
 * @example
 * ```ts
 * import type { MessageStream } from 'ia-connectors';
 * declare const ticks: MessageStream;
 * for await (const message of ticks) if (message.type === 'json') console.log(message.data);
 * ```
 */
export class MessageStream<T = unknown> implements AsyncIterableIterator<WebSocketMessage<T>> {
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  #done = false;

  constructor(
    private readonly source: MessageSource,
    signal?: AbortSignal,
  ) {
    this.#signal = signal ? AbortSignal.any([signal, this.#stop.signal]) : this.#stop.signal;
  }

  async next(): Promise<IteratorResult<WebSocketMessage<T>, undefined>> {
    if (this.#done) return { done: true, value: undefined };
    try {
      const message = await this.source(this.#signal);
      if (message === undefined || this.#done) return this.#finish();
      return { done: false, value: message as WebSocketMessage<T> };
    } catch (error) {
      // A `return()` while waiting ends the stream quietly; anything else is the reader's to see.
      if (this.#stop.signal.aborted && isConnectorError(error) && error.code === 'ABORTED') return this.#finish();
      this.#finish();
      throw error;
    }
  }

  /** Ends the stream; a `next()` waiting now resolves as done. */
  async return(): Promise<IteratorResult<WebSocketMessage<T>, undefined>> {
    return this.#finish();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): IteratorResult<WebSocketMessage<T>, undefined> {
    this.#done = true;
    this.#stop.abort();
    return { done: true, value: undefined };
  }
}
