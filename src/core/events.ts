/**
 * A handle that removes what it was returned for; also usable with `using`.
 *
 * @example
 * ```ts
 * import type { Disposable } from 'ia-connectors';
 * declare const sub: Disposable;
 * sub.dispose();
 * ```
 */
export interface Disposable {
  dispose(): void;
  [Symbol.dispose](): void;
}

type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter: `on()` returns a {@link Disposable}; a listener that
 * throws is reported to `onListenerError` (default: ignored after a warning) and never
 * breaks the call that emitted. Emitting with no listeners costs one map lookup.
 *
 * @example
 * ```ts
 * import { TypedEvents } from 'ia-connectors';
 * const events = new TypedEvents<{ retry: { attempt: number } }>();
 * using sub = events.on('retry', (e) => console.log('retry', e.attempt));
 * events.emit('retry', { attempt: 2 });
 * ```
 */
export class TypedEvents<Events extends object> {
  readonly #listeners = new Map<keyof Events, Listener<never>[]>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void = warnListenerError) {}

  /** Subscribes to one event; dispose the handle to unsubscribe. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposable {
    const list = this.#listeners.get(event) ?? [];
    this.#listeners.set(event, [...list, listener as Listener<never>]);
    const dispose = (): void => {
      const current = this.#listeners.get(event);
      if (!current) return;
      const rest = current.filter((l) => l !== listener);
      if (rest.length > 0) this.#listeners.set(event, rest);
      else this.#listeners.delete(event);
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  /** Subscribes for one emission only. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposable {
    const handle = this.on(event, (payload) => {
      handle.dispose();
      listener(payload);
    });
    return handle;
  }

  /** True when someone listens, so callers can skip building a payload. */
  has(event: keyof Events): boolean {
    return this.#listeners.has(event);
  }

  /** Calls each listener in subscription order. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    for (const listener of list) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}

function warnListenerError(error: unknown, event: PropertyKey): void {
  process.emitWarning(`ia-connectors: a listener for "${String(event)}" threw: ${error instanceof Error ? error.message : String(error)}`);
}
