import { ConnectorError } from '../../core/errors.js';
import type { ResponseHeaders } from '../../core/types.js';
import type { Redactor } from '../../observability/redact.js';

/**
 * One entry of a GraphQL result's `errors`, as the server sent it (normalised: a
 * malformed entry keeps its text as `message`).
 *
 * @example
 * ```ts
 * import type { GraphQLResultError } from 'ia-connectors';
 * const e: GraphQLResultError = { message: 'not found', path: ['user', 'posts', 0], locations: [{ line: 2, column: 3 }] };
 * ```
 */
export interface GraphQLResultError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly locations?: readonly { readonly line: number; readonly column: number }[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/**
 * What one GraphQL execution produced: `data` (partial when `errors` is set) and the
 * errors. A result with errors is a value, not an exception; `throwIfErrors()` (or
 * the connector's `throwOnErrors`) turns it into a `GRAPHQL` error.
 *
 * @example
 * ```ts
 * import { GraphQLExecutionResult } from 'ia-connectors';
 * const r = new GraphQLExecutionResult<{ hello: string }>({ hello: 'hi' }, undefined, undefined);
 * r.throwIfErrors().data?.hello; // 'hi'
 * ```
 */
export class GraphQLExecutionResult<TData = Record<string, unknown>> {
  readonly #redactor: Redactor | undefined;

  constructor(
    readonly data: TData | null | undefined,
    readonly errors: readonly GraphQLResultError[] | undefined,
    readonly extensions: Readonly<Record<string, unknown>> | undefined,
    /** Names the operation in error messages. */
    readonly operationName?: string,
    redactor?: Redactor,
  ) {
    this.#redactor = redactor;
  }

  /** True when the result carries no errors. */
  get ok(): boolean {
    return this.errors === undefined || this.errors.length === 0;
  }

  /** Throws a `GRAPHQL` error (with the errors and the partial data in `details`) unless `ok`. */
  throwIfErrors(): this {
    if (this.errors === undefined || this.errors.length === 0) return this;
    throw graphqlErrorsError(this.errors, { operationName: this.operationName, data: this.data, redactor: this.#redactor });
  }

  /** A plain object for logs and JSON output. */
  toJSON(): Record<string, unknown> {
    return { data: this.data, errors: this.errors, extensions: this.extensions };
  }
}

/**
 * A GraphQL-over-HTTP result: the execution result plus the HTTP facts. A non-2xx
 * status whose body is still a GraphQL result (a request error under
 * `application/graphql-response+json`) is returned with `ok: false`.
 *
 * @example
 * ```ts
 * import { GraphQLResponse } from 'ia-connectors';
 * const r = new GraphQLResponse<{ hello: string }>({ hello: 'hi' }, undefined, undefined, { status: 200, headers: {}, url: 'http://127.0.0.1/graphql', durationMs: 2, attempts: 1 });
 * r.status; // 200
 * ```
 */
export class GraphQLResponse<TData = Record<string, unknown>> extends GraphQLExecutionResult<TData> {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The final URL, secrets redacted. */
  readonly url: string;
  readonly durationMs: number;
  readonly attempts: number;

  constructor(
    data: TData | null | undefined,
    errors: readonly GraphQLResultError[] | undefined,
    extensions: Readonly<Record<string, unknown>> | undefined,
    http: { status: number; headers: ResponseHeaders; url: string; durationMs: number; attempts: number },
    operationName?: string,
    redactor?: Redactor,
  ) {
    super(data, errors, extensions, operationName, redactor);
    ({ status: this.status, headers: this.headers, url: this.url, durationMs: this.durationMs, attempts: this.attempts } = http);
  }

  /** True for a 2xx status without errors. */
  override get ok(): boolean {
    return super.ok && this.status >= 200 && this.status < 300;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, url: this.url, durationMs: this.durationMs, attempts: this.attempts };
  }
}

/**
 * The `GRAPHQL` error for a result with errors: the message quotes the first few, and
 * `details.graphqlErrors` holds them all (redacted), `details.data` the partial data.
 *
 * @example
 * ```ts
 * import { graphqlErrorsError } from 'ia-connectors';
 * graphqlErrorsError([{ message: 'boom', path: ['user'] }], { operationName: 'GetUser' }).message;
 * // 'GraphQL operation "GetUser" returned 1 error: "boom" at user; ...'
 * ```
 */
export function graphqlErrorsError(
  errors: readonly GraphQLResultError[],
  context: { operationName?: string | undefined; data?: unknown; status?: number; redactor?: Redactor | undefined },
): ConnectorError {
  const { redactor } = context;
  const shown = errors.slice(0, 3).map((e) => `${JSON.stringify(e.message)}${e.path && e.path.length > 0 ? ` at ${e.path.join('.')}` : ''}`);
  const more = errors.length > 3 ? ` and ${errors.length - 3} more` : '';
  const what = context.operationName ? `GraphQL operation "${context.operationName}"` : 'the GraphQL operation';
  const noun = errors.length === 1 ? 'error' : 'errors';
  const message = `${what} returned ${errors.length} ${noun}: ${shown.join('; ')}${more}; see details.graphqlErrors (partial data is in details.data)`;
  return new ConnectorError('GRAPHQL', redactor ? redactor.text(message) : message, {
    details: {
      graphqlErrors: (redactor ? redactor.value(errors) : errors) as readonly unknown[],
      ...(context.data === undefined ? {} : { data: redactor ? redactor.value(context.data) : context.data }),
      ...(context.status === undefined ? {} : { status: context.status }),
      ...(context.operationName === undefined ? {} : { operationName: context.operationName }),
    },
  });
}
