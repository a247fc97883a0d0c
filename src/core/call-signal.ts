/**
 * What a call's cancellation looks like to middleware and transports: the subset of
 * `AbortSignal` they use. A real `AbortSignal` fits; so does the cheaper
 * {@link CancelSignal} the timeouts create, which keeps a per-call `AbortSignal` (a few
 * microseconds each) off the hot path. Use {@link toAbortSignal} where an API insists
 * on a real one.
 *
 * @example
 * ```ts
 * import type { CallSignal } from 'ia-connectors';
 * const onAbort = (signal: CallSignal) => signal.addEventListener('abort', () => console.log(signal.reason), { once: true });
 * ```
 */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

/**
 * A minimal abortable signal: no EventTarget, listeners kept in a small array.
 *
 * @example
 * ```ts
 * import { CancelSignal } from 'ia-connectors';
 * const signal = new CancelSignal();
 * signal.addEventListener('abort', () => console.log('stopped'));
 * signal.abort(new Error('deadline'));
 * ```
 */
export class CancelSignal implements CallSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #listeners: (() => void)[] | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.#aborted) return;
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const list = this.#listeners;
    if (!list) return;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** Aborts once; later calls are ignored. Listeners run in order and are then dropped. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const list = this.#listeners;
    this.#listeners = undefined;
    if (list) for (const listener of list) listener();
  }
}

/**
 * A real `AbortSignal` that follows `signal` (returned as-is when it already is one),
 * for APIs such as `fetch` that check the type.
 *
 * @example
 * ```ts
 * import { CancelSignal, toAbortSignal } from 'ia-connectors';
 * const real = toAbortSignal(new CancelSignal());
 * real instanceof AbortSignal; // true
 * ```
 */
export function toAbortSignal(signal: CallSignal): AbortSignal;
export function toAbortSignal(signal: CallSignal | undefined): AbortSignal | undefined;
export function toAbortSignal(signal: CallSignal | undefined): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
