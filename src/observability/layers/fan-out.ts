import type { CallEventName, CallEvents, ObservedAttributes } from '../../core/observer.js';
import type { AttemptObservation, CallObservation, ObservedResult } from '../observer.js';
import { quietly, runInside, type Runner } from './quietly.js';

/**
 * One call's observations by every observer, behind the single {@link CallEvents} the
 * policies report to. Each observer is called in turn; one that throws is skipped.
 *
 * @example
 * ```ts
 * import { CallFanOut } from './fan-out.js';
 * const fan = new CallFanOut([{ event: () => undefined, attempt: () => ({ end: () => undefined }), end: () => undefined }]);
 * fan.event('retry', { attempt: 2 });
 * ```
 */
export class CallFanOut implements CallEvents {
  constructor(private readonly observations: readonly CallObservation[]) {}

  event(name: CallEventName, attributes: ObservedAttributes): void {
    for (const o of this.observations) quietly(() => o.event(name, attributes), 'event');
  }

  attempt(attempt: number, attributes: ObservedAttributes): AttemptFanOut {
    const started: AttemptObservation[] = [];
    for (const o of this.observations) {
      const a = quietly(() => o.attempt(attempt, attributes), 'attempt');
      if (a) started.push(a);
    }
    return new AttemptFanOut(started);
  }

  end(result: ObservedResult): void {
    for (const o of this.observations) quietly(() => o.end(result), 'end');
  }
}

/**
 * One attempt's observations: their propagation headers merged (a later observer's
 * header of the same name wins), the attempt run inside each observer's context, and
 * its end reported to each.
 *
 * @example
 * ```ts
 * import { AttemptFanOut } from './fan-out.js';
 * const a = new AttemptFanOut([{ propagation: { traceparent: '00-...' }, end: () => undefined }]);
 * a.propagation; // { traceparent: '00-...' }
 * ```
 */
export class AttemptFanOut {
  readonly propagation: Readonly<Record<string, string>> | undefined;
  readonly #runners: Runner[];

  constructor(private readonly observations: readonly AttemptObservation[]) {
    let headers: Record<string, string> | undefined;
    const runners: Runner[] = [];
    for (const o of observations) {
      const own = quietly(() => o.propagation, 'propagation');
      if (own && typeof own === 'object') headers = { ...headers, ...stringsOf(own) };
      if (typeof o.run === 'function') runners.push((fn) => (o.run as Runner)(fn));
    }
    this.propagation = headers && Object.keys(headers).length > 0 ? headers : undefined;
    this.#runners = runners;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#runners.length === 0 ? fn() : runInside(this.#runners, fn);
  }

  end(result: ObservedResult): void {
    for (const o of this.observations) quietly(() => o.end(result), 'end');
  }
}

/** Only string values go on the wire: an observer's odd value must not break a request. */
function stringsOf(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name.toLowerCase()] = value;
  return out;
}
