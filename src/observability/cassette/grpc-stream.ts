import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError } from '../../core/errors.js';
import { abortedCall } from '../../protocols/grpc/status-error.js';
import type { GrpcMetadata, GrpcServerStream } from '../../protocols/grpc/types.js';
import type { GrpcRecordedResponse } from './grpc-format.js';
import { plainMetadata } from './grpc-values.js';
import { bytesFromJson } from './json.js';
import { replayedError } from './layer-support.js';

/** What the connector calls on a stream it opened: cancel it when the caller's signal aborts. */
type FollowedStream = GrpcServerStream & { follow(signal: CallSignal | undefined): unknown };

/**
 * How the reading of a recorded stream ended, and what it read.
 *
 * @example
 * ```ts
 * import type { StreamOutcome } from './grpc-stream.js';
 * const o: StreamOutcome = { messages: [{ n: 1 }], end: 'cancelled', headers: {}, trailers: undefined };
 * ```
 */
export interface StreamOutcome {
  messages: unknown[];
  end: 'ok' | 'error' | 'cancelled';
  error?: unknown;
  headers: GrpcMetadata;
  trailers: GrpcMetadata | undefined;
}

/**
 * A server stream that hands every message on as it comes and, once the reading ends
 * (the last message, a status error, a `break` or `cancel()`), tells `done` what was
 * read and how it ended.
 *
 * @example
 * ```ts
 * import { RecordingServerStream } from './grpc-stream.js';
 * declare const live: import('ia-connectors').GrpcServerStream & { follow(signal?: AbortSignal): unknown };
 * const stream = new RecordingServerStream(live, (outcome) => console.log(outcome.messages.length, outcome.end));
 * ```
 */
export class RecordingServerStream implements GrpcServerStream {
  readonly #inner: FollowedStream;
  readonly #done: (outcome: StreamOutcome) => void;
  readonly #messages: unknown[] = [];
  #headers: GrpcMetadata = {};
  #trailers: GrpcMetadata | undefined;
  #cancelled = false;
  #finished = false;

  constructor(inner: FollowedStream, done: (outcome: StreamOutcome) => void) {
    this.#inner = inner;
    this.#done = done;
    void inner.headers.then((headers) => (this.#headers = headers));
    void inner.trailers.then((trailers) => (this.#trailers = trailers));
  }

  get method(): string {
    return this.#inner.method;
  }

  get attempts(): number {
    return this.#inner.attempts;
  }

  get headers(): Promise<GrpcMetadata> {
    return this.#inner.headers;
  }

  get trailers(): Promise<GrpcMetadata> {
    return this.#inner.trailers;
  }

  follow(signal: CallSignal | undefined): this {
    this.#inner.follow(signal);
    return this;
  }

  cancel(): void {
    this.#cancelled = true;
    this.#inner.cancel();
    this.#finish('cancelled');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined> {
    let completed = false;
    try {
      for await (const message of this.#inner) {
        this.#messages.push(message);
        yield message;
      }
      completed = true;
      // The status came with the end of the messages: its trailers are there already.
      if (!this.#cancelled) this.#trailers = await this.#inner.trailers;
    } catch (error) {
      this.#finish('error', error);
      throw error;
    } finally {
      this.#finish(completed && !this.#cancelled ? 'ok' : 'cancelled');
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
  }

  #finish(end: StreamOutcome['end'], error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#done({ messages: this.#messages, end, error, headers: this.#headers, trailers: end === 'cancelled' ? undefined : this.#trailers });
  }
}

/**
 * A server stream played back from a recording: the recorded headers, the recorded
 * messages in order, then the recorded end (the OK status, or the status error). A
 * caller reading past the point where the recorded caller stopped gets `CASSETTE_MISS`.
 *
 * @example
 * ```ts
 * import { ReplayedServerStream } from './grpc-stream.js';
 * const stream = new ReplayedServerStream({ headers: {}, messages: [{ n: 1 }], end: 'ok', trailers: {}, durationMs: 1 }, { connector: 'counter', method: '/p.S/Count', target: 'grpc://127.0.0.1:1', attempts: 1, file: 'counter.cassette.json' });
 * for await (const m of stream) console.log(m); // { n: 1 }
 * ```
 */
export class ReplayedServerStream implements GrpcServerStream {
  readonly method: string;
  readonly attempts: number;
  readonly headers: Promise<GrpcMetadata>;
  readonly trailers: Promise<GrpcMetadata>;
  readonly #stored: GrpcRecordedResponse;
  readonly #facts: { connector: string; method: string; target: string; file: string };
  #signal: CallSignal | undefined;
  #cancelled = false;
  #iterated = false;

  constructor(stored: GrpcRecordedResponse, facts: { connector: string; method: string; target: string; attempts: number; file: string }) {
    this.#stored = stored;
    this.#facts = facts;
    this.method = facts.method;
    this.attempts = facts.attempts;
    this.headers = Promise.resolve(plainMetadata(stored.headers));
    this.trailers = Promise.resolve(plainMetadata(stored.trailers));
  }

  follow(signal: CallSignal | undefined): this {
    this.#signal = signal;
    return this;
  }

  cancel(): void {
    this.#cancelled = true;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined> {
    const { connector, method, target, file } = this.#facts;
    if (this.#iterated) throw new ConnectorError('INVALID_REQUEST', `the replies of ${method} were already iterated; a stream can be read once`);
    this.#iterated = true;
    const messages = this.#stored.messages ?? [];
    for (const message of messages) {
      if (this.#cancelled) return;
      if (this.#signal?.aborted) throw abortedCall(this.#signal, { connector, method, target, deadline: undefined });
      yield bytesFromJson(message);
    }
    if (this.#cancelled) return;
    const { end, error } = this.#stored;
    if (end === 'error' && error) throw replayedError(error);
    if (end === 'cancelled') {
      throw new ConnectorError(
        'CASSETTE_MISS',
        `connector "${connector}": the recording of ${method} in cassette ${file} stops after ${messages.length} message(s), where the recorded caller stopped reading; record the run again, or read no further than it did`,
        { details: { connector, file, method, messages: messages.length } },
      );
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
  }
}
