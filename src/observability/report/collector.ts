import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallEventName, ObservedAttributes } from '../../core/observer.js';
import { observedStatus } from '../logging/call-fields.js';
import type { Redaction } from '../logging/redaction.js';
import type { CallObservation, ObservedCall, ObservedResult, ObservedStep, Observer, StepObservation } from '../observer.js';
import type { BodyBudget } from './bodies.js';
import type { ReportCall, ReportEvent } from './model.js';

/**
 * A step as recorded, with epoch-ms times.
 *
 * @example
 * ```ts
 * import type { StepRecordEntry } from './collector.js';
 * const s: StepRecordEntry = { key: 's1', stepId: 'load', stepType: 'api_call', start: Date.now(), status: 'running' };
 * ```
 */
export interface StepRecordEntry {
  key: string;
  stepId: string;
  stepType: string;
  start: number;
  end?: number;
  status: 'running' | 'succeeded' | 'failed';
  error?: { code: string; message: string };
  attempts?: number;
}

/**
 * A call as recorded, with epoch-ms times.
 *
 * @example
 * ```ts
 * import type { CallEntry } from './collector.js';
 * declare const entry: CallEntry;
 * entry.attempts.length;
 * ```
 */
export interface CallEntry extends Omit<ReportCall, 'events' | 'omitted'> {
  events: (Omit<ReportEvent, 'name'> & { name: CallEventName })[];
  omitted: { attempts: number; events: number };
}

/**
 * Limits of a {@link ReportCollector}.
 *
 * @example
 * ```ts
 * import type { CollectorLimits } from './collector.js';
 * const limits: CollectorLimits = { maxCalls: 5000, maxSteps: 5000, maxEventsPerCall: 200, maxAttemptsPerCall: 100 };
 * ```
 */
export interface CollectorLimits {
  maxCalls: number;
  maxSteps: number;
  maxEventsPerCall: number;
  maxAttemptsPerCall: number;
}

// Sub-millisecond epoch time: loopback calls take a few ms, and Date.now() would draw them as nothing.
const now = (): number => performance.timeOrigin + performance.now();

/**
 * Records steps and calls for a run report. Steps run their work inside an
 * AsyncLocalStorage scope, so a call learns which step it belongs to, concurrent foreach
 * items included.
 *
 * @example
 * ```ts
 * import { ReportCollector } from './collector.js';
 * import { BodyBudget } from './bodies.js';
 * import { Redaction } from '../logging/redaction.js';
 * const redaction = new Redaction();
 * const collector = new ReportCollector({ maxCalls: 10, maxSteps: 10, maxEventsPerCall: 20, maxAttemptsPerCall: 5 }, redaction, new BodyBudget(redaction, 1024, 65_536));
 * ```
 */
export class ReportCollector {
  readonly steps: StepRecordEntry[] = [];
  readonly calls: CallEntry[] = [];
  omittedCalls = 0;
  omittedSteps = 0;
  readonly #scope = new AsyncLocalStorage<StepRecordEntry>();

  constructor(
    private readonly limits: CollectorLimits,
    private readonly redaction: Redaction,
    private readonly bodies: BodyBudget,
  ) {}

  /** The observer that feeds this collector. */
  readonly observer: Observer = {
    startStep: (step) => this.#startStep(step),
    startCall: (call) => this.#startCall(call),
  };

  #startStep(step: ObservedStep): StepObservation | undefined {
    if (this.steps.length >= this.limits.maxSteps) {
      this.omittedSteps += 1;
      return undefined;
    }
    const entry: StepRecordEntry = { key: `s${this.steps.length + 1}`, stepId: step.stepId, stepType: step.stepType, start: step.startTime, status: 'running' };
    this.steps.push(entry);
    return {
      run: (fn) => this.#scope.run(entry, fn),
      end: (result) => {
        entry.end = now();
        entry.status = result.status;
        if (result.error) entry.error = { code: result.error.code, message: this.redaction.text(result.error.message) };
        if (result.attempts !== undefined) entry.attempts = result.attempts;
      },
    };
  }

  #startCall(call: ObservedCall): CallObservation | undefined {
    if (this.calls.length >= this.limits.maxCalls) {
      this.omittedCalls += 1;
      return undefined;
    }
    const entry: CallEntry = {
      id: `c${this.calls.length + 1}`,
      step: this.#scope.getStore()?.key ?? null,
      connector: call.connector,
      protocol: call.protocol,
      name: this.redaction.text(call.name),
      attributes: this.#attributes(call.attributes),
      start: call.startTime,
      attempts: [],
      events: [],
      omitted: { attempts: 0, events: 0 },
    };
    this.calls.push(entry);
    const limits = this.limits;
    return {
      event: (name, attributes) => {
        if (entry.events.length >= limits.maxEventsPerCall) entry.omitted.events += 1;
        else entry.events.push({ name, time: now(), attributes: this.#attributes(attributes) });
      },
      attempt: (attempt) => {
        if (entry.attempts.length >= limits.maxAttemptsPerCall) {
          entry.omitted.attempts += 1;
          return { end: () => undefined };
        }
        const record: CallEntry['attempts'][number] = { attempt, start: now() };
        entry.attempts.push(record);
        return {
          end: (result) => {
            Object.assign(record, { end: now(), ...this.#outcome(result) });
            if (!result.ok) {
              const response = this.bodies.capture(result.response);
              if (response) record.response = response;
            }
          },
        };
      },
      end: (result) => {
        Object.assign(entry, { end: now(), ...this.#outcome(result) });
        // Captured once the call is over, so producing them never delays the call's own work.
        const request = this.bodies.capture(call.request);
        const response = this.bodies.capture(result.response);
        if (request) entry.request = request;
        if (response) entry.response = response;
      },
    };
  }

  #outcome(result: ObservedResult): { ok: boolean; status?: number; error?: { code: string; message: string } } {
    const status = observedStatus(result.attributes);
    return {
      ok: result.ok,
      ...(status === undefined ? {} : { status }),
      ...(result.error ? { error: { code: result.error.code, message: this.redaction.text(result.error.message) } } : {}),
    };
  }

  #attributes(attributes: ObservedAttributes): ObservedAttributes {
    return this.redaction.value(attributes) as ObservedAttributes;
  }
}
