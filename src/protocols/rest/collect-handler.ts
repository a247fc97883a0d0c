import type { Dispatcher } from 'undici';
import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError } from '../../core/errors.js';
import type { ResponseHeaders } from '../../core/types.js';

/**
 * A response read whole into memory.
 *
 * @example
 * ```ts
 * import type { CollectedResponse } from 'ia-connectors';
 * const r: CollectedResponse = { statusCode: 200, headers: {}, body: Buffer.from('{}') };
 * ```
 */
export interface CollectedResponse {
  statusCode: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/**
 * An undici dispatch handler that gathers the body into one buffer, enforcing the
 * size limit chunk by chunk. It skips the per-response `Readable` that
 * `Dispatcher.request()` builds, and cancels through the dispatch controller, so the
 * call's signal is a cheap listener rather than an `AbortSignal` handed to undici.
 *
 * @example
 * ```ts
 * import { Pool } from 'undici';
 * import { CollectHandler } from 'ia-connectors';
 * const pool = new Pool('http://127.0.0.1:8080');
 * const res = await new Promise((resolve, reject) => pool.dispatch({ path: '/', method: 'GET' }, new CollectHandler(resolve, reject, 1 << 20, undefined, 'GET /')));
 * ```
 */
export class CollectHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #statusCode = 0;
  #headers: ResponseHeaders = {};
  #chunks: Buffer[] = [];
  #size = 0;
  #settled = false;
  readonly #onAbort: (() => void) | undefined;

  constructor(
    private readonly resolve: (response: CollectedResponse) => void,
    private readonly fail: (error: unknown, phase: 'request' | 'body', status: number | undefined) => void,
    private readonly maxBytes: number,
    private readonly signal: CallSignal | undefined,
    private readonly describe: string,
  ) {
    if (signal) {
      this.#onAbort = () => this.#abort(signal.reason);
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.signal?.aborted) controller.abort(this.signal.reason as Error);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    this.#statusCode = statusCode;
    this.#headers = headers;
    const declared = Number(headers['content-length']);
    if (declared > this.maxBytes) controller.abort(this.#tooLarge(`Content-Length is ${declared}`));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > this.maxBytes) {
      controller.abort(this.#tooLarge(`more than ${this.maxBytes} bytes arrived`));
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settle()) return;
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size);
    this.resolve({ statusCode: this.#statusCode, headers: this.#headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#settle()) return;
    // Whether the failure came before or after the headers decides what is safe to retry.
    this.fail(error, this.#statusCode === 0 ? 'request' : 'body', this.#statusCode || undefined);
  }

  #abort(reason: unknown): void {
    if (this.#controller) this.#controller.abort(reason as Error);
  }

  /** True when already settled; otherwise marks settled and unlinks the signal. */
  #settle(): boolean {
    if (this.#settled) return true;
    this.#settled = true;
    if (this.#onAbort) this.signal?.removeEventListener('abort', this.#onAbort);
    return false;
  }

  #tooLarge(why: string): ConnectorError {
    return new ConnectorError(
      'RESPONSE_TOO_LARGE',
      `${this.describe}: the response is larger than maxResponseBytes (${this.maxBytes}): ${why}; raise maxResponseBytes or use responseType 'stream'`,
      { details: { maxResponseBytes: this.maxBytes } },
    );
  }
}
