import { ERROR_CODES, type ErrorCode } from './error-codes.js';

const BRAND = Symbol.for('ia-connectors.ConnectorError');

/**
 * Protocol detail an error may carry; every field is optional.
 *
 * @example
 * ```ts
 * import type { ConnectorErrorDetails } from 'ia-connectors';
 * const d: ConnectorErrorDetails = { status: 503, connector: 'users_api', retryAfterMs: 2000 };
 * ```
 */
export interface ConnectorErrorDetails {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** gRPC status code, for gRPC calls. */
  grpcCode?: number;
  /** GraphQL errors returned by the server. */
  graphqlErrors?: readonly unknown[];
  /** Milliseconds the server or a policy asked the caller to wait. */
  retryAfterMs?: number;
  /** Name of the connector that raised the error. */
  connector?: string;
  /** Request method and URL (secrets redacted). */
  method?: string;
  url?: string;
  /** Any further protocol-specific facts (never secrets). */
  [key: string]: unknown;
}

/**
 * Options accepted by the {@link ConnectorError} constructor.
 *
 * @example
 * ```ts
 * import type { ConnectorErrorOptions } from 'ia-connectors';
 * const o: ConnectorErrorOptions = { cause: new Error('socket hang up'), retryable: true };
 * ```
 */
export interface ConnectorErrorOptions {
  cause?: unknown;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  details?: ConnectorErrorDetails;
}

/**
 * The one error type the library throws. `code` is a literal union to switch on;
 * `retryable` says whether repeating the call may succeed; `details` carries the
 * protocol facts (status, gRPC code, GraphQL errors) and never a secret.
 *
 * @example
 * ```ts
 * import { ConnectorError } from 'ia-connectors';
 * throw new ConnectorError('CONFIG', 'baseUrl: must be an absolute URL such as "https://api.example.com"');
 * ```
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: ConnectorErrorDetails;

  constructor(code: ErrorCode, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = options.details ?? {};
  }

  /** HTTP status, when a response arrived. */
  get status(): number | undefined {
    return this.details.status;
  }

  /** gRPC status code, for gRPC calls. */
  get grpcCode(): number | undefined {
    return this.details.grpcCode;
  }

  /** GraphQL errors returned by the server. */
  get graphqlErrors(): readonly unknown[] | undefined {
    return this.details.graphqlErrors;
  }

  /** A plain object for logs and JSON output; the cause chain is summarised by code and message. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }

  static {
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }
}

/**
 * True when `value` is a {@link ConnectorError}, also across duplicated copies of the
 * package (the check is a global symbol brand, not `instanceof`).
 *
 * @example
 * ```ts
 * import { isConnectorError } from 'ia-connectors';
 * try { await api.get('/x').send(); } catch (e) { if (isConnectorError(e) && e.code === 'TIMEOUT') retryLater(); }
 * ```
 */
export function isConnectorError(value: unknown): value is ConnectorError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * True when `value` is a {@link ConnectorError} with one of the given codes.
 *
 * @example
 * ```ts
 * import { hasErrorCode } from 'ia-connectors';
 * if (hasErrorCode(err, 'CONNECT_TIMEOUT', 'CONNECTION_REFUSED')) console.log('upstream down');
 * ```
 */
export function hasErrorCode<C extends ErrorCode>(value: unknown, ...codes: C[]): value is ConnectorError & { code: C } {
  return isConnectorError(value) && (codes as ErrorCode[]).includes(value.code);
}
