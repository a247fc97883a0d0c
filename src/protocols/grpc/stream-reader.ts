import type { ClientDuplexStream, ClientReadableStream, Metadata, ServiceError, StatusObject } from '@grpc/grpc-js';
import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError } from '../../core/errors.js';
import { metadataRecord } from './metadata.js';
import type { CallSetup } from './call-setup.js';
import { abortedCall, statusError } from './status-error.js';
import type { GrpcMetadata } from './types.js';

type ReadableCall = ClientReadableStream<unknown> | ClientDuplexStream<unknown, unknown>;

/**
 * The receiving side of a streaming call: headers and trailers as promises that never
 * reject, the replies as a one-time async iteration, and cancellation. Breaking out of
 * the iteration or `cancel()` cancels the call and ends the iteration quietly; an
 * aborted signal cancels it and ends the iteration with `ABORTED` (or the signal's
 * own `ConnectorError`); a non-OK status ends it with that status's error.
 *
 * @example
 * ```ts
 * import { StreamReader } from './stream-reader.js';
 * declare const call: import('@grpc/grpc-js').ClientReadableStream<unknown>;
 * declare const setup: import('./call-setup.js').CallSetup;
 * const reader = new StreamReader(call, setup);
 * for await (const reply of reader.replies()) console.log(reply);
 * ```
 */
export class StreamReader {
  readonly headers: Promise<GrpcMetadata>;
  readonly trailers: Promise<GrpcMetadata>;
  #status: StatusObject | undefined;
  #stopped: 'user' | ConnectorError | undefined;
  #iterated = false;
  #signal: CallSignal | undefined;
  readonly #onAbort = (): void => this.#abort();

  constructor(
    private readonly call: ReadableCall,
    private readonly setup: CallSetup,
  ) {
    let gotHeaders!: (headers: GrpcMetadata) => void;
    let gotTrailers!: (trailers: GrpcMetadata) => void;
    this.headers = new Promise((resolve) => (gotHeaders = resolve));
    this.trailers = new Promise((resolve) => (gotTrailers = resolve));
    call.on('metadata', (md: Metadata) => gotHeaders(metadataRecord(md, setup.redactor)));
    call.on('status', (status: StatusObject) => {
      this.#status = status;
      this.#signal?.removeEventListener('abort', this.#onAbort);
      setup.onStatus?.(status.code);
      gotHeaders({});
      gotTrailers(metadataRecord(status.metadata, setup.redactor));
    });
    // The status carries every failure; without a listener an 'error' event would crash the process.
    call.on('error', () => undefined);
  }

  /** The status, once the call has ended. */
  get status(): StatusObject | undefined {
    return this.#status;
  }

  /** Cancels the call when `signal` aborts, for as long as the call runs. */
  follow(signal: CallSignal | undefined): void {
    if (!signal || this.#status) return;
    if (signal.aborted) return this.#abort(signal);
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Cancels the call; an iteration in progress ends without an error. */
  cancel(): void {
    if (this.#status) return;
    this.#stopped ??= 'user';
    this.call.cancel();
  }

  /** The replies; a stream can be iterated once. */
  async *replies(): AsyncGenerator<unknown, void, undefined> {
    if (this.#iterated) {
      throw new ConnectorError('INVALID_REQUEST', `the replies of ${this.setup.method.path} were already iterated; a stream can be read once`);
    }
    this.#iterated = true;
    try {
      for await (const reply of this.call) yield reply;
    } catch (error) {
      if (this.#stopped === 'user') return;
      if (this.#stopped) throw this.#stopped;
      throw statusError(error as ServiceError, this.setup.facts, this.setup.redactor);
    } finally {
      // Reached by break, return or throw in the consumer's loop: the call must not outlive it.
      if (!this.#status) this.cancel();
    }
  }

  #abort(signal: CallSignal | undefined = this.#signal): void {
    if (this.#status || !signal) return;
    this.#stopped ??= abortedCall(signal, this.setup.facts);
    this.call.cancel();
  }
}
