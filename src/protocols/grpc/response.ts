import { inspect } from 'node:util';
import type { Metadata } from '@grpc/grpc-js';
import type { Redactor } from '../../observability/redact.js';
import { metadataRecord } from './metadata.js';
import type { GrpcMetadata, GrpcResponse } from './types.js';

/**
 * The {@link GrpcResponse} of a unary or client-streaming call. Headers and trailers
 * are turned into plain objects on first read, so a caller that only wants the body
 * pays nothing for them.
 *
 * @example
 * ```ts
 * import { Metadata } from '@grpc/grpc-js';
 * import { Redactor } from 'ia-connectors';
 * import { UnaryResponse } from './response.js';
 * const res = new UnaryResponse({ message: 'hi' }, undefined, new Metadata(), '/demo.Greeter/SayHello', 1.2, 1, new Redactor());
 * res.trailers; // {}
 * ```
 */
export class UnaryResponse<T = unknown> implements GrpcResponse<T> {
  readonly status = 0;
  readonly ok = true;
  readonly #raw: { headers: Metadata | undefined; trailers: Metadata };
  readonly #redactor: Redactor;
  #headers: GrpcMetadata | undefined;
  #trailers: GrpcMetadata | undefined;

  constructor(
    readonly body: T,
    headers: Metadata | undefined,
    trailers: Metadata,
    readonly method: string,
    readonly durationMs: number,
    readonly attempts: number,
    redactor: Redactor,
  ) {
    this.#raw = { headers, trailers };
    this.#redactor = redactor;
  }

  get headers(): GrpcMetadata {
    return (this.#headers ??= metadataRecord(this.#raw.headers, this.#redactor));
  }

  get trailers(): GrpcMetadata {
    return (this.#trailers ??= metadataRecord(this.#raw.trailers, this.#redactor));
  }

  /** A plain object for logs and JSON output. */
  toJSON(): GrpcResponse<T> {
    const { body, status, ok, headers, trailers, method, durationMs, attempts } = this;
    return { body, status, ok, headers, trailers, method, durationMs, attempts };
  }

  /** What `console.log` shows: the same plain object, headers and trailers included. */
  [inspect.custom](): GrpcResponse<T> {
    return this.toJSON();
  }
}
