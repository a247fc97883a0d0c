import type { Attributes, Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import type { CallEventName, ObservedAttributes } from '../../core/observer.js';
import type { ObservedConnector, ObservedResult } from '../observer.js';

/** The semantic conventions' buckets for request durations, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Call attributes that are bounded and secret-free, so metrics may carry them; never `url.full`. */
const CALL_KEYS = [
  'http.request.method',
  'server.address',
  'server.port',
  'url.scheme',
  'url.template',
  'rpc.system',
  'rpc.service',
  'rpc.method',
  'graphql.operation.type',
  'graphql.operation.name',
] as const;
const RESULT_KEYS = ['http.response.status_code', 'rpc.grpc.status_code', 'error.type'] as const;

const REJECTED_BY: Partial<Record<CallEventName, string>> = {
  'circuit_breaker.rejected': 'circuit_breaker',
  'rate_limit.rejected': 'rate_limit',
  'bulkhead.rejected': 'bulkhead',
};
const BREAKER_STATE: Record<string, number> = { closed: 0, 'half-open': 1, half_open: 1, open: 2 };

/**
 * The instruments of meter `ia-connectors`: durations of whole calls and of each HTTP or
 * gRPC attempt (by the semantic conventions), calls in flight, retries, policy
 * refusals, rate-limit waits, circuit-breaker transitions and state, step durations.
 * Every attribute set is built from an allow-list of bounded, redacted values.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import { ConnectorMetrics } from './metrics.js';
 * const m = new ConnectorMetrics(metrics.getMeter('ia-connectors'));
 * ```
 */
export class ConnectorMetrics {
  readonly #callDuration: Histogram;
  readonly #httpDuration: Histogram;
  readonly #rpcDuration: Histogram;
  readonly #active: UpDownCounter;
  readonly #retries: Counter;
  readonly #rejections: Counter;
  readonly #limiterWait: Histogram;
  readonly #transitions: Counter;
  readonly #stepDuration: Histogram;
  readonly #breakerStates = new Map<string, { attributes: Attributes; state: number }>();

  constructor(meter: Meter) {
    const seconds = { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
    this.#callDuration = meter.createHistogram('ia_connectors.call.duration', { ...seconds, description: 'Duration of connector calls, waits and retries included.' });
    this.#httpDuration = meter.createHistogram('http.client.request.duration', { ...seconds, description: 'Duration of HTTP client requests.' });
    this.#rpcDuration = meter.createHistogram('rpc.client.call.duration', { ...seconds, description: 'Duration of outgoing RPC calls.' });
    this.#active = meter.createUpDownCounter('ia_connectors.calls.active', { unit: '{call}', description: 'Connector calls in flight.' });
    this.#retries = meter.createCounter('ia_connectors.retries', { unit: '{retry}', description: 'Retries scheduled by the retry policy.' });
    this.#rejections = meter.createCounter('ia_connectors.rejections', { unit: '{call}', description: 'Calls refused by the circuit breaker, rate limiter or bulkhead.' });
    this.#limiterWait = meter.createHistogram('ia_connectors.rate_limit.wait.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
      description: 'Time calls were told to wait for a rate-limit token.',
    });
    this.#transitions = meter.createCounter('ia_connectors.circuit_breaker.transitions', { unit: '{transition}', description: 'Circuit breaker state changes, by the state entered.' });
    meter
      .createObservableGauge('ia_connectors.circuit_breaker.state', { description: 'Last known circuit breaker state: 0 closed, 1 half-open, 2 open.' })
      .addCallback((result) => {
        for (const { attributes, state } of this.#breakerStates.values()) result.observe(state, attributes);
      });
    this.#stepDuration = meter.createHistogram('ia_connectors.step.duration', { ...seconds, description: 'Duration of pipeline steps.' });
  }

  callStarted(base: Attributes): void {
    this.#active.add(1, base);
  }

  callEnded(base: Attributes, result: ObservedResult, seconds: number): void {
    this.#active.add(-1, base);
    const outcome = result.ok ? { 'ia_connectors.outcome': 'success' } : { 'ia_connectors.outcome': 'failure', 'error.type': errorType(result) };
    this.#callDuration.record(seconds, { ...base, ...outcome });
  }

  attemptEnded(call: ObservedAttributes, result: ObservedResult, seconds: number): void {
    const attributes = { ...pick(call, CALL_KEYS), ...pick(result.attributes, RESULT_KEYS) };
    if (!result.ok && attributes['error.type'] === undefined) attributes['error.type'] = errorType(result);
    if (call['rpc.system'] !== undefined) this.#rpcDuration.record(seconds, attributes);
    else if (call['http.request.method'] !== undefined) this.#httpDuration.record(seconds, attributes);
  }

  event(name: CallEventName, attributes: ObservedAttributes, base: Attributes): void {
    if (name === 'retry') {
      const reason = attributes['retry.reason'];
      this.#retries.add(1, typeof reason === 'string' ? { ...base, 'retry.reason': reason } : base);
      return;
    }
    if (name === 'rate_limit.wait') {
      const waitMs = attributes['rate_limit.wait_ms'];
      if (typeof waitMs === 'number') this.#limiterWait.record(waitMs / 1000, base);
      return;
    }
    const by = REJECTED_BY[name];
    if (by !== undefined) this.#rejections.add(1, { ...base, 'ia_connectors.rejected_by': by });
  }

  breakerChanged(connector: ObservedConnector, to: string): void {
    const attributes = { 'ia_connectors.connector': connector.connector, 'ia_connectors.protocol': connector.protocol };
    this.#transitions.add(1, { ...attributes, 'circuit_breaker.state': to });
    const state = BREAKER_STATE[to];
    if (state !== undefined) this.#breakerStates.set(connector.connector, { attributes, state });
  }

  stepEnded(stepType: string, status: string, seconds: number, errorCode: string | undefined): void {
    this.#stepDuration.record(seconds, { 'ia_connectors.step.type': stepType, 'ia_connectors.outcome': status === 'succeeded' ? 'success' : 'failure', ...(errorCode ? { 'error.type': errorCode } : {}) });
  }
}

/**
 * The `error.type` of a failed result: the adapter's, else the error code.
 *
 * @example
 * ```ts
 * import { errorType } from './metrics.js';
 * errorType({ ok: false, attributes: {}, error: { code: 'TIMEOUT', message: '' } }); // 'TIMEOUT'
 * ```
 */
export function errorType(result: ObservedResult): string {
  const given = result.attributes['error.type'];
  return typeof given === 'string' ? given : (result.error?.code ?? '_OTHER');
}

function pick(attributes: ObservedAttributes, keys: readonly string[]): Attributes {
  const out: Attributes = {};
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
