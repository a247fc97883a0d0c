import { format, inspect } from 'node:util';
import { vi } from 'vitest';
import type { ConnectorEvents } from '../../../src/core/connector-events.js';
import type { Connector } from '../../../src/core/connector.js';

// A Record, not an array, so that adding an event to ConnectorEvents fails to compile here.
const EVENTS: Record<keyof ConnectorEvents, true> = {
  stateChange: true,
  request: true,
  response: true,
  redirect: true,
  retry: true,
  rateLimited: true,
  circuitStateChange: true,
  bulkhead: true,
  authRefresh: true,
  storeError: true,
  storeRecovered: true,
};

/** One piece of output the library produced, labelled by where it came from. */
export interface Observed {
  source: string;
  text: string;
}

/**
 * Collects everything a test file's connectors say (every event payload, every
 * error with its cause chain, console and process warnings, toJSON output) and
 * finds the registered secrets in it.
 */
export interface LeakWatch {
  /** Values that must never appear. Short ones (< 4 chars) are refused: they would match ordinary text. */
  secret(...values: string[]): void;
  /** Subscribes to every event of `connector`. */
  watch(connector: Pick<Connector<unknown, unknown>, 'on'>): void;
  /** Records an error (inspected with its cause chain, and as JSON). */
  error(error: unknown): void;
  /** Records any other output, such as `JSON.stringify(connector)` or a response URL. */
  text(source: string, text: string): void;
  /** Awaits a promise that must reject, records and returns the error. */
  rejection(promise: Promise<unknown>): Promise<unknown>;
  readonly observed: readonly Observed[];
  /** Every piece of output that contains a secret. */
  leaks(): { source: string; secret: string }[];
  /** Restores console and process.emitWarning. */
  restore(): void;
}

/** Starts watching; console output and warnings are captured from now on. */
export function createLeakWatch(): LeakWatch {
  const secrets = new Set<string>();
  const observed: Observed[] = [];
  const record = (source: string, text: string): void => void observed.push({ source, text });
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => record(`console.${level}`, format(...args))),
  );
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    record('process.emitWarning', typeof warning === 'string' ? `${warning} ${format(...rest)}` : inspect(warning));
  }) as typeof process.emitWarning;

  const watch: LeakWatch = {
    observed,
    secret(...values) {
      for (const value of values) {
        if (value.length < 4) throw new Error(`secret "${value}" is too short to look for`);
        secrets.add(value);
      }
    },
    watch(connector) {
      for (const name of Object.keys(EVENTS) as (keyof ConnectorEvents)[]) {
        connector.on(name, (payload: unknown) => record(`event ${name}`, JSON.stringify(payload)));
      }
    },
    error(error) {
      record('error (inspect)', inspect(error, { depth: 10 }));
      record('error (JSON)', JSON.stringify(error) ?? '');
    },
    text: record,
    async rejection(promise) {
      try {
        await promise;
      } catch (error) {
        watch.error(error);
        return error;
      }
      throw new Error('expected the promise to reject');
    },
    leaks() {
      const found: { source: string; secret: string }[] = [];
      for (const { source, text } of observed) for (const secret of secrets) if (text.includes(secret)) found.push({ source, secret });
      return found;
    },
    restore() {
      for (const spy of spies) spy.mockRestore();
      process.emitWarning = original;
    },
  };
  return watch;
}
