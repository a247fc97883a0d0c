import type { ConnectorEvents } from '../core/connector-events.js';
import type { Disposable } from '../core/events.js';
import type { CallEvents, ObservedAttributes } from '../core/observer.js';

/**
 * The protocols an observer sees.
 *
 * @example
 * ```ts
 * import type { ObservedProtocol } from 'ia-connectors';
 * const p: ObservedProtocol = 'grpc';
 * ```
 */
export type ObservedProtocol = 'rest' | 'graphql' | 'grpc' | 'websocket';

/**
 * A redacted view of a request or response for people (the HTML run report, debug
 * logs): never a credential, bodies cut to a bounded size.
 *
 * @example
 * ```ts
 * import type { ObservedMessage } from 'ia-connectors';
 * const m: ObservedMessage = { headers: { authorization: '[REDACTED]' }, body: { id: 1 }, truncated: false };
 * ```
 */
export interface ObservedMessage {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** True when `body` was cut to the size limit. */
  readonly truncated?: boolean;
}

/**
 * One connector call as an observer first sees it. `name` follows the semantic
 * conventions' span names (`GET /users/{id}`, `query GetUser`, `users.Users/Get`).
 *
 * @example
 * ```ts
 * import type { ObservedCall } from 'ia-connectors';
 * const c: ObservedCall = { connector: 'users', protocol: 'rest', name: 'GET /users/{id}', attributes: { 'http.request.method': 'GET' }, startTime: Date.now() };
 * ```
 */
export interface ObservedCall {
  readonly connector: string;
  readonly protocol: ObservedProtocol;
  readonly name: string;
  /** Redacted semantic-convention attributes of the call. */
  readonly attributes: ObservedAttributes;
  /** Epoch ms. */
  readonly startTime: number;
  /** The redacted request, computed only when an observer asks for it. */
  request?(): ObservedMessage;
}

/**
 * How an attempt or a call ended: attributes of the response (status, gRPC code), and
 * the error when there was no usable response.
 *
 * @example
 * ```ts
 * import type { ObservedResult } from 'ia-connectors';
 * const r: ObservedResult = { ok: false, attributes: { 'http.response.status_code': 503 }, error: { code: 'HTTP_ERROR', message: 'status 503' } };
 * ```
 */
export interface ObservedResult {
  readonly ok: boolean;
  readonly attributes: ObservedAttributes;
  /** Set when the call or attempt failed; the message is redacted. */
  readonly error?: { readonly code: string; readonly message: string };
  /** The redacted response, computed only when an observer asks for it. */
  response?(): ObservedMessage;
}

/**
 * One attempt of an observed call. `propagation` holds headers (W3C `traceparent`,
 * `tracestate`) the attempt carries: HTTP headers, gRPC metadata or WebSocket
 * handshake headers.
 *
 * @example
 * ```ts
 * import type { AttemptObservation } from 'ia-connectors';
 * const a: AttemptObservation = { end: () => undefined };
 * ```
 */
export interface AttemptObservation {
  readonly propagation?: Readonly<Record<string, string>>;
  /**
   * Runs the attempt's I/O inside the observer's context (an OpenTelemetry span), so
   * work below it (credential refreshes, instrumented clients) nests under the attempt.
   */
  run?<T>(fn: () => Promise<T>): Promise<T>;
  end(result: ObservedResult): void;
}

/**
 * An observer's handle on one call: per-call events from the policies (retries, waits,
 * refusals), its attempts, and its end.
 *
 * @example
 * ```ts
 * import type { CallObservation } from 'ia-connectors';
 * const c: CallObservation = { event: () => undefined, attempt: () => ({ end: () => undefined }), end: () => undefined };
 * ```
 */
export interface CallObservation extends CallEvents {
  attempt(attempt: number, attributes: ObservedAttributes): AttemptObservation;
  end(result: ObservedResult): void;
}

/**
 * One pipeline step as an observer sees it; foreach items are steps too
 * (`stepId` `fetch[3]`).
 *
 * @example
 * ```ts
 * import type { ObservedStep } from 'ia-connectors';
 * const s: ObservedStep = { stepId: 'load', stepType: 'api_call', startTime: Date.now() };
 * ```
 */
export interface ObservedStep {
  readonly stepId: string;
  readonly stepType: string;
  readonly startTime: number;
}

/**
 * An observer's handle on one step. `run` executes the step's work inside the
 * observer's context, so calls the step makes become its children (OpenTelemetry
 * context, the run report's step attribution).
 *
 * @example
 * ```ts
 * import type { StepObservation } from 'ia-connectors';
 * const s: StepObservation = { run: (fn) => fn(), end: () => undefined };
 * ```
 */
export interface StepObservation {
  run<T>(fn: () => Promise<T>): Promise<T>;
  end(result: { status: 'succeeded' | 'failed'; error?: { code: string; message: string }; attempts?: number }): void;
}

/**
 * A connector as an observer sees it when it is attached: its name, protocol and events.
 *
 * @example
 * ```ts
 * import type { ObservedConnector } from 'ia-connectors';
 * const watch = (c: ObservedConnector) => c.on('circuitStateChange', (e) => console.log(c.connector, e.from, '->', e.to));
 * ```
 */
export interface ObservedConnector {
  readonly connector: string;
  readonly protocol: ObservedProtocol;
  /** Subscribes to one of the connector's events; dispose the handle to unsubscribe. */
  on<K extends keyof ConnectorEvents>(event: K, listener: (payload: ConnectorEvents[K]) => void): Disposable;
}

/**
 * Something that watches calls and pipeline steps: OpenTelemetry tracing and
 * metrics, a logger, the HTML run report. Every method is optional; returning
 * `undefined` ignores that call or step. Observers receive only redacted data.
 *
 * @example
 * ```ts
 * import type { Observer } from 'ia-connectors';
 * const slowCalls: Observer = {
 *   startCall: (call) => ({ event: () => undefined, attempt: () => ({ end: () => undefined }), end: (r) => { if (!r.ok) console.warn(call.name, r.error?.code); } }),
 * };
 * ```
 */
export interface Observer {
  startCall?(call: ObservedCall): CallObservation | undefined;
  startStep?(step: ObservedStep): StepObservation | undefined;
  /**
   * Called once when a connector is built with this observer, for what happens outside
   * any one call (circuit breaker state changes, credential refreshes).
   */
  attach?(connector: ObservedConnector): void;
  /** Flushes what the observer buffered (a report file, exporters). */
  close?(): Promise<void>;
}
