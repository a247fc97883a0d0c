import type { ObservedAttributes } from '../../../src/core/observer.js';
import type { ObservedCall, ObservedConnector, ObservedMessage, ObservedResult, ObservedStep, Observer } from '../../../src/observability/observer.js';

/** Everything one call showed an observer, with its lazy request and responses evaluated. */
export interface RecordedCall {
  call: ObservedCall;
  request: ObservedMessage | undefined;
  events: { name: string; attributes: ObservedAttributes }[];
  attempts: { attempt: number; attributes: ObservedAttributes; result?: ObservedResult; response?: ObservedMessage }[];
  result?: ObservedResult;
  response?: ObservedMessage;
}

/** An observer that keeps what it saw, for assertions and secret scans. */
export interface Recorder extends Observer {
  readonly calls: RecordedCall[];
  readonly steps: { step: ObservedStep; result?: unknown }[];
  readonly attached: ObservedConnector[];
  /** Headers this observer asks each attempt to carry. */
  propagation: Record<string, string> | undefined;
}

export function recorder(): Recorder {
  const calls: RecordedCall[] = [];
  const steps: Recorder['steps'] = [];
  const attached: ObservedConnector[] = [];
  const self: Recorder = {
    calls,
    steps,
    attached,
    propagation: undefined,
    startCall(call) {
      const recorded: RecordedCall = { call, request: call.request?.(), events: [], attempts: [] };
      calls.push(recorded);
      return {
        event: (name, attributes) => void recorded.events.push({ name, attributes }),
        attempt(attempt, attributes) {
          const entry: RecordedCall['attempts'][number] = { attempt, attributes };
          recorded.attempts.push(entry);
          return {
            ...(self.propagation ? { propagation: self.propagation } : {}),
            end(result) {
              entry.result = result;
              entry.response = result.response?.();
            },
          };
        },
        end(result) {
          recorded.result = result;
          recorded.response = result.response?.();
        },
      };
    },
    startStep(step) {
      const entry: Recorder['steps'][number] = { step };
      steps.push(entry);
      return { run: (fn) => fn(), end: (result) => void (entry.result = result) };
    },
    attach: (connector) => void attached.push(connector),
  };
  return self;
}
