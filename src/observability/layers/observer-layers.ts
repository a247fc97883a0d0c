import type { ChainLayer } from '../../core/chain.js';
import type { CallEvents } from '../../core/observer.js';
import type { CallContext, Next } from '../../core/middleware.js';
import type { CallObservation, ObservedConnector, ObservedResult, Observer } from '../observer.js';
import type { ObservationAdapter } from './adapter.js';
import { CallFanOut } from './fan-out.js';
import { quietly } from './quietly.js';

const NO_RESULT: ObservedResult = { ok: true, attributes: {} };

/**
 * The two chain layers that feed `observers`: `observe` (outermost) starts a call on
 * each observer, hands the policies `ctx.observation` for retries, waits and refusals,
 * and ends the call with its response or error; `observeAttempt` (each admitted
 * attempt, inside the bulkhead) starts an attempt, puts the observers' trace-context
 * headers on the request, and ends it. One pair serves every observer; with none, no
 * layer is added, so an unobserved connector pays nothing. An observer that throws is
 * ignored. Observers' `attach` is called here, once. `adapter` may be a function,
 * called only when there are observers.
 *
 * @example
 * ```ts
 * import { observerLayers, restObservation, createRestConnector, type Observer } from 'ia-connectors';
 * const log: Observer = { startCall: (c) => { console.log(c.name); return undefined; } };
 * const api = createRestConnector({ name: 'api', baseUrl: 'http://127.0.0.1:8080' }, { observers: [log] });
 * ```
 */
export function observerLayers<Req, Res>(
  observers: readonly Observer[] | undefined,
  adapter: ObservationAdapter<Req, Res> | (() => ObservationAdapter<Req, Res>),
): ChainLayer<Req, Res>[] {
  const watching = (observers ?? []).filter((o) => typeof o?.startCall === 'function' || typeof o?.attach === 'function');
  if (watching.length === 0) return [];
  const a = typeof adapter === 'function' ? adapter() : adapter;
  attach(watching, a);
  return callLayers(watching.filter((o) => typeof o.startCall === 'function'), a);
}

/** Hands each observer's `attach` the connector, once, when the connector is built. */
function attach<Req, Res>(observers: readonly Observer[], adapter: ObservationAdapter<Req, Res>): void {
  const events = adapter.events;
  if (!events) return;
  const connector: ObservedConnector = { connector: adapter.connector, protocol: adapter.protocol, on: (event, listener) => events.on(event, listener) };
  for (const o of observers) if (typeof o.attach === 'function') quietly(() => o.attach?.(connector), 'attach');
}

function callLayers<Req, Res>(observers: readonly Observer[], adapter: ObservationAdapter<Req, Res>): ChainLayer<Req, Res>[] {
  if (observers.length === 0) return [];
  // Only this pair's own fan-outs are recognised, whatever else sets ctx.observation.
  const fans = new WeakSet<CallEvents>();

  const observe = async (ctx: CallContext<Req>, next: Next<Req, Res>): Promise<Res> => {
    const call = quietly(() => adapter.call(ctx.request, Date.now()), `the ${adapter.protocol} adapter`);
    if (call === undefined) return next();
    const started: CallObservation[] = [];
    for (const o of observers) {
      const observation = quietly(() => o.startCall?.(call), 'startCall');
      if (observation) started.push(observation);
    }
    if (started.length === 0) return next();
    const fan = new CallFanOut(started);
    fans.add(fan);
    try {
      const response = await next({ ...ctx, observation: fan });
      fan.end(quietly(() => adapter.result(response, ctx.request), `the ${adapter.protocol} adapter`) ?? NO_RESULT);
      return response;
    } catch (error) {
      fan.end(quietly(() => adapter.failure(error, ctx.request), `the ${adapter.protocol} adapter`) ?? failed(error));
      throw error;
    }
  };

  const observeAttempt = async (ctx: CallContext<Req>, next: Next<Req, Res>): Promise<Res> => {
    const fan = ctx.observation;
    if (!(fan instanceof CallFanOut) || !fans.has(fan)) return next();
    const attempt = fan.attempt(ctx.attempt, quietly(() => adapter.attempt(ctx.request, ctx.attempt), `the ${adapter.protocol} adapter`) ?? {});
    const headers = attempt.propagation;
    const request = headers ? (quietly(() => adapter.propagate(ctx.request, headers), `the ${adapter.protocol} adapter`) ?? ctx.request) : ctx.request;
    const inner = request === ctx.request ? ctx : { ...ctx, request };
    try {
      const response = await attempt.run(() => next(inner));
      attempt.end(quietly(() => adapter.result(response, request), `the ${adapter.protocol} adapter`) ?? NO_RESULT);
      return response;
    } catch (error) {
      attempt.end(quietly(() => adapter.failure(error, request), `the ${adapter.protocol} adapter`) ?? failed(error));
      throw error;
    }
  };

  return [
    { name: 'observe', middleware: observe },
    { name: 'observeAttempt', middleware: observeAttempt },
  ];
}

function failed(error: unknown): ObservedResult {
  return { ok: false, attributes: {}, error: { code: error instanceof Error ? error.name : 'UNKNOWN', message: 'the call failed' } };
}
