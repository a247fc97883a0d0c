import type { StatusObject } from '@grpc/grpc-js';
import type { CallSignal } from '../../core/call-signal.js';
import { scheduleDeadline } from '../../core/deadlines.js';
import type { CallSetup } from './call-setup.js';
import { abortedCall, statusError } from './status-error.js';
import { StreamReader } from './stream-reader.js';
import type { GrpcMetadata, GrpcServerStream } from './types.js';

/**
 * Starts a server-streaming call and resolves once the stream is open: when the
 * server sent its response headers (or ended at once with OK), or, for a server that
 * stays quiet until it has something to say, after `quietMs`. A status that ends the
 * call before that rejects, so the chain's retry and breaker judge the opening (a
 * proxy's immediate `UNAVAILABLE`, say); an abort during the opening cancels the call.
 *
 * @example
 * ```ts
 * import { openServerStream } from './server-stream.js';
 * declare const setup: import('./call-setup.js').CallSetup;
 * const stream = await openServerStream(setup, { region: 'eu' }, 1, 30_000);
 * for await (const item of stream) console.log(item);
 * ```
 */
export function openServerStream(setup: CallSetup, message: unknown, attempts: number, quietMs: number): Promise<GrpcServerStream> {
  const { client, method, metadata, deadline, signal, facts } = setup;
  if (signal?.aborted) return Promise.reject(abortedCall(signal, facts));
  const call = client.makeServerStreamRequest(method.path, method.serialize, method.deserialize, message, metadata, deadline === undefined ? {} : { deadline });
  const reader = new StreamReader(call, setup);
  return new Promise((resolve, reject) => {
    const done = (): void => {
      quiet.cancel();
      signal?.removeEventListener('abort', onAbort);
      call.off('metadata', onOpen);
      call.off('status', onStatus);
    };
    const onAbort = (): void => {
      done();
      call.cancel();
      reject(abortedCall(signal as CallSignal, facts));
    };
    const onOpen = (): void => {
      done();
      resolve(new ServerStream(reader, method.path, attempts));
    };
    const onStatus = (status: StatusObject): void => {
      if (status.code === 0) return onOpen();
      done();
      reject(statusError(status, facts, setup.redactor));
    };
    // A deadline on the shared queue, not a timer of its own per stream.
    const quiet = scheduleDeadline(quietMs, onOpen);
    call.on('metadata', onOpen);
    call.on('status', onStatus);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An open server stream, as {@link GrpcServerStream} describes it.
 *
 * @example
 * ```ts
 * import { ServerStream } from './server-stream.js';
 * declare const stream: ServerStream;
 * await using _ = stream; // cancelled at scope end unless finished
 * ```
 */
export class ServerStream implements GrpcServerStream {
  constructor(
    private readonly reader: StreamReader,
    readonly method: string,
    readonly attempts: number,
  ) {}

  get headers(): Promise<GrpcMetadata> {
    return this.reader.headers;
  }

  get trailers(): Promise<GrpcMetadata> {
    return this.reader.trailers;
  }

  /** Cancels the stream when `signal` aborts (the caller's signal, after opening). */
  follow(signal: CallSignal | undefined): this {
    this.reader.follow(signal);
    return this;
  }

  cancel(): void {
    this.reader.cancel();
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this.reader.replies();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.reader.cancel();
  }
}
