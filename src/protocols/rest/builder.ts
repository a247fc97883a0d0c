import type { z } from 'zod';
import { ConnectorError } from '../../core/errors.js';
import type { ApiRequest, ApiResponse, QueryParams, RawBody, ResponseType } from '../../core/types.js';

/**
 * Options a builder can start from: everything in {@link ApiRequest} except method and endpoint.
 *
 * @example
 * ```ts
 * import type { RequestInit } from 'ia-connectors';
 * const init: RequestInit = { params: { id: 7 }, query: { verbose: true } };
 * ```
 */
export type RequestInit = Omit<ApiRequest, 'method' | 'endpoint'>;

/**
 * What a builder sends through: a REST connector, or anything with its `execute`.
 *
 * @example
 * ```ts
 * import type { RequestSender } from 'ia-connectors';
 * const sender: RequestSender = { execute: async (req) => { throw new Error(req.endpoint); } };
 * ```
 */
export interface RequestSender {
  execute<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>>;
}

/**
 * An immutable request under construction: every method returns a new builder, so
 * two requests built from one starting point never share state.
 *
 * @example
 * ```ts
 * import { createRestConnector } from 'ia-connectors';
 * import { z } from 'zod';
 * const api = createRestConnector({ name: 'api', baseUrl: 'http://127.0.0.1:8080' });
 * const base = api.get('/users/{id}', { params: { id: 'ada' } }).headers({ 'x-trace': '1' });
 * const { body } = await base.schema(z.object({ name: z.string() })).timeout(2000).send();
 * ```
 */
export class RequestBuilder<T = unknown> {
  constructor(
    private readonly sender: RequestSender,
    private readonly request: Readonly<ApiRequest>,
    private readonly bodySchema?: z.ZodType<T>,
  ) {}

  /** Adds query parameters (merged over earlier ones; arrays repeat the key). */
  query(query: QueryParams): RequestBuilder<T> {
    return this.#with({ query: { ...this.request.query, ...query } });
  }

  /** Adds headers (merged over earlier ones). */
  headers(headers: Record<string, string>): RequestBuilder<T> {
    return this.#with({ headers: { ...this.request.headers, ...headers } });
  }

  /** Sets a JSON body, replacing any other body. */
  json(body: unknown): RequestBuilder<T> {
    return this.#with({ json: body, form: undefined, body: undefined });
  }

  /** Sets a form body, replacing any other body. */
  form(form: NonNullable<ApiRequest['form']>): RequestBuilder<T> {
    return this.#with({ form, json: undefined, body: undefined });
  }

  /** Sets a raw body (text, bytes or a stream), replacing any other body. */
  body(body: RawBody): RequestBuilder<T> {
    return this.#with({ body, json: undefined, form: undefined });
  }

  /** Total time for the call in milliseconds (all attempts). */
  timeout(ms: number): RequestBuilder<T> {
    if (!(typeof ms === 'number' && ms > 0 && Number.isFinite(ms))) {
      throw new ConnectorError('INVALID_REQUEST', `timeout: must be a positive number of milliseconds, got ${String(ms)}`);
    }
    return this.#with({ timeout: ms });
  }

  /** Cancels the call when the signal aborts. */
  signal(signal: AbortSignal): RequestBuilder<T> {
    return this.#with({ signal });
  }

  /** How to read the body: `auto` (by content type), `json`, `text`, `bytes` or `stream`. */
  responseType(responseType: ResponseType): RequestBuilder<T> {
    return this.#with({ responseType });
  }

  /**
   * Validates and types the response body with a zod schema. A mismatch throws
   * `SCHEMA_MISMATCH`; a non-2xx response throws `HTTP_STATUS`, since its body is not `T`.
   */
  schema<S extends z.ZodType>(schema: S): RequestBuilder<z.output<S>> {
    return new RequestBuilder<z.output<S>>(this.sender, this.request, schema as z.ZodType<z.output<S>>);
  }

  /** The plain request this builder describes. */
  toRequest(): ApiRequest {
    return { ...this.request };
  }

  /** Sends the request. */
  async send(): Promise<ApiResponse<T>> {
    const response = await this.sender.execute<T>(this.toRequest());
    if (!this.bodySchema) return response;
    response.throwIfNotOk();
    const result = this.bodySchema.safeParse(response.body);
    if (result.success) return Object.assign(response, { body: result.data });
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new ConnectorError(
      'SCHEMA_MISMATCH',
      `${this.request.method} ${response.url}: the response body does not match the schema (${issues.join('; ')}); update the schema or check the API version`,
      { details: { status: response.status, url: response.url, issues: result.error.issues.map((i) => ({ path: i.path, message: i.message })) } },
    );
  }

  #with(patch: Partial<ApiRequest>): RequestBuilder<T> {
    return new RequestBuilder<T>(this.sender, { ...this.request, ...patch }, this.bodySchema);
  }
}
