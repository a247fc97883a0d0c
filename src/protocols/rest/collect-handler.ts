import type { Dispatcher } from 'undici';
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
 * `Dispatcher.request()` builds, and cancels through the dispatch controller
 * (`abort()`), so no `AbortSignal` is handed to undici. It holds no reference to the
 * call's signal: linking the two kept short-lived objects alive across garbage
 * collections and cost more than the rest of the chain.
 *
 * @example
 * ```ts
 * import { Pool } from 'undici';
 * import { CollectHandler } from 'ia-connectors';
 * const pool = new Pool('http://127.0.0.1:8080');
 * const res = await new Promise((resolve, reject) => pool.dispatch({ path: '/', method: 'GET' }, new CollectHandler(resolve, reject, 1 << 20, 'GET /')));
 * ```
 */
export class CollectHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #statusCode = 0;
  #headers: ResponseHeaders = {};
  #chunks: Buffer[] = [];
  #size = 0;
  #settled = false;
  #abortReason: unknown;

  constructor(
    private readonly resolve: (response: CollectedResponse) => void,
    private readonly fail: (error: unknown, phase: 'request' | 'body', status: number | undefined) => void,
    private readonly maxBytes: number,
    private readonly describe: string,
  ) {}

  /** Cancels the exchange: at once when it has started, or as soon as it starts. */
  abort(reason: unknown): void {
    if (this.#controller) this.#controller.abort(reason as Error);
    else this.#abortReason ??= reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason as Error);
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

  /** True when already settled; otherwise marks it settled. */
  #settle(): boolean {
    if (this.#settled) return true;
    this.#settled = true;
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
