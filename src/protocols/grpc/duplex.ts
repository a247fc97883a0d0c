import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError } from '../../core/errors.js';
import { checkMessage, type CallSetup } from './call-setup.js';
import { channelReady } from './channel-ready.js';
import { grpcStatusName } from './status-codes.js';
import { StreamReader } from './stream-reader.js';
import type { GrpcDuplex, GrpcMetadata } from './types.js';

/**
 * Opens a bidirectional stream. The server may say nothing until it has read a
 * message, so the opening waits for the channel to be connected (bounded by
 * `connectBy`, epoch ms), not for a reply; then the call starts and the duplex is
 * handed over.
 *
 * @example
 * ```ts
 * import { openDuplex } from './duplex.js';
 * declare const setup: import('./call-setup.js').CallSetup;
 * const duplex = await openDuplex(setup, Date.now() + 10_000);
 * ```
 */
export async function openDuplex(setup: CallSetup, connectBy: number): Promise<Duplex> {
  await channelReady(setup.client, connectBy, setup.signal, setup.facts.target);
  const { client, method, metadata, deadline } = setup;
  const call = client.makeBidiStreamRequest(method.path, method.serialize, method.deserialize, metadata, deadline === undefined ? {} : { deadline });
  return new Duplex(call, setup);
}

/**
 * An open bidirectional stream, as {@link GrpcDuplex} describes it.
 *
 * @example
 * ```ts
 * import type { Duplex } from './duplex.js';
 * declare const duplex: Duplex;
 * await duplex.send({ text: 'hi' });
 * duplex.end();
 * ```
 */
export class Duplex implements GrpcDuplex<unknown, unknown> {
  readonly #reader: StreamReader;
  readonly #pending = new Set<() => void>();
  #ended = false;
  #sent = 0;

  constructor(
    private readonly call: ClientDuplexStream<unknown, unknown>,
    private readonly setup: CallSetup,
  ) {
    this.#reader = new StreamReader(call, setup);
    // A write whose call ended may never be acknowledged; its sender must not wait forever.
    void this.#reader.trailers.then(() => {
      for (const resolve of this.#pending) resolve();
      this.#pending.clear();
    });
  }

  get method(): string {
    return this.setup.method.path;
  }

  get headers(): Promise<GrpcMetadata> {
    return this.#reader.headers;
  }

  get trailers(): Promise<GrpcMetadata> {
    return this.#reader.trailers;
  }

  /** Cancels the stream when `signal` aborts (the caller's signal, after opening). */
  follow(signal: CallSignal | undefined): this {
    this.#reader.follow(signal);
    return this;
  }

  send(message: unknown): Promise<void> {
    if (this.#ended) throw new ConnectorError('INVALID_REQUEST', `send() after end() on ${this.method}; open a new stream to send more`);
    const status = this.#reader.status;
    if (status) {
      throw new ConnectorError('INVALID_REQUEST', `${this.method} has already ended (${grpcStatusName(status.code)}); read the replies to see why`, {
        details: { grpcCode: status.code },
      });
    }
    checkMessage(this.setup, message, `messages[${this.#sent++}]`);
    return new Promise((resolve) => {
      const done = (): void => {
        this.#pending.delete(done);
        resolve();
      };
      this.#pending.add(done);
      this.call.write(message, done);
    });
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#reader.status) this.call.end();
  }

  cancel(): void {
    this.#ended = true;
    this.#reader.cancel();
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this.#reader.replies();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
  }
}
