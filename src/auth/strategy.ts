import type { ConnectorEvents } from '../core/connector-events.js';
import type { TypedEvents } from '../core/events.js';
import type { Redactor } from '../observability/redact.js';
import type { CallSignal } from '../core/call-signal.js';

/**
 * What a strategy adds to a request, protocol-neutral: HTTP headers (gRPC metadata,
 * WebSocket handshake headers) with lower-case names, and query parameters.
 *
 * @example
 * ```ts
 * import type { AuthCredentials } from 'ia-connectors';
 * const creds: AuthCredentials = { headers: { authorization: 'Bearer t0k3n' } };
 * ```
 */
export interface AuthCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
}

/**
 * One way of authenticating. `open()` runs once at connect: it resolves secret
 * references, imports keys and registers every sensitive name and value on the
 * connector's redactor. `credentials()` runs per request and is cheap for static
 * schemes (the same object every time).
 *
 * @example
 * ```ts
 * import type { AuthStrategy } from 'ia-connectors';
 * const fixed: AuthStrategy = { type: 'custom', open: async () => {}, credentials: () => ({ headers: { 'x-team': 'data' } }) };
 * ```
 */
export interface AuthStrategy {
  /** The config `type`, named in events and errors. */
  readonly type: string;
  open(): Promise<void>;
  close?(): Promise<void>;
  /** Credentials for the next request; `signal` lets a caller stop waiting for a token fetch. */
  credentials(signal?: CallSignal): AuthCredentials | Promise<AuthCredentials>;
  /**
   * Called once when the server rejected `rejected` (by default on 401): drops the
   * credential and obtains a new one. Absent for static schemes, whose credentials
   * cannot change.
   */
  refresh?(rejected: AuthCredentials, signal?: CallSignal): Promise<AuthCredentials>;
  /** True when `credentials()` returns the same value for every call after `open()` (static schemes). */
  readonly fixed?: boolean;
}

/**
 * What a strategy needs from its connector.
 *
 * @example
 * ```ts
 * import { Redactor, TypedEvents, type AuthLayerContext } from 'ia-connectors';
 * const ctx: AuthLayerContext = { connector: 'users', redactor: new Redactor(), events: new TypedEvents() };
 * ```
 */
export interface AuthLayerContext {
  connector: string;
  redactor: Redactor;
  events: TypedEvents<ConnectorEvents>;
  /**
   * Offered fixed credential headers at connect; returns true when the transport
   * will add them to every request itself (after the request's own headers), so the
   * layer can leave the per-call chain.
   */
  useFixedHeaders?(headers: Readonly<Record<string, string>>): boolean;
}
