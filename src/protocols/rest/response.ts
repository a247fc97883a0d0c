import { ConnectorError } from '../../core/errors.js';
import type { ApiResponse, ResponseHeaders } from '../../core/types.js';
import type { Redactor } from '../../observability/redact.js';

/**
 * The {@link ApiResponse} a REST connector returns.
 *
 * @example
 * ```ts
 * import { RestResponse } from 'ia-connectors';
 * const res = new RestResponse('GET', 200, {}, { ok: true }, 'http://127.0.0.1/', 1.5, 1);
 * res.throwIfNotOk().body;
 * ```
 */
export class RestResponse<T = unknown> implements ApiResponse<T> {
  readonly #redactor: Redactor | undefined;

  constructor(
    readonly method: string,
    readonly status: number,
    readonly headers: ResponseHeaders,
    readonly body: T,
    readonly url: string,
    readonly durationMs: number,
    readonly attempts: number,
    redactor?: Redactor,
  ) {
    this.#redactor = redactor;
  }

  /** True for 2xx statuses. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** Throws an `HTTP_STATUS` error unless the status is 2xx; the error carries status and body. */
  throwIfNotOk(): this {
    if (this.ok) return this;
    throw httpStatusError(this, this.#redactor);
  }

  /** A plain object for logs and JSON output. */
  toJSON(): Omit<ApiResponse<T>, 'throwIfNotOk'> {
    const { status, headers, body, ok, url, durationMs, attempts } = this;
    return { status, headers, body, ok, url, durationMs, attempts };
  }
}

/**
 * The `HTTP_STATUS` error for a non-2xx response.
 *
 * @example
 * ```ts
 * import { RestResponse, httpStatusError } from 'ia-connectors';
 * httpStatusError(new RestResponse('GET', 404, {}, null, 'http://127.0.0.1/x', 1, 1)).message;
 * ```
 */
export function httpStatusError(response: RestResponse, redactor?: Redactor): ConnectorError {
  const hint =
    response.status === 401 || response.status === 403
      ? 'check the credentials in the connector auth settings'
      : response.status >= 500
        ? 'the server failed; retry later or configure retry'
        : 'check the request';
  return new ConnectorError('HTTP_STATUS', `${response.method} ${response.url} answered ${response.status}; ${hint}`, {
    retryable: response.status === 408 || response.status === 429 || response.status >= 500,
    // A server may echo a credential back in an error body; errors end up in logs.
    details: { status: response.status, method: response.method, url: response.url, body: redactor ? redactor.value(response.body) : response.body },
  });
}
