import type { CallSignal } from '../core/call-signal.js';
import { scheduleDeadline, type Expiring, type ScheduledDeadline } from '../core/deadlines.js';
import { ConnectorError } from '../core/errors.js';
import type { CallContext } from '../core/middleware.js';

/**
 * Builds a timeout's error from the call it ended and the duration it allowed; one
 * function per layer, so a call's guard needs no closure of its own for it.
 *
 * @example
 * ```ts
 * import { ConnectorError, type TimeoutReason } from 'ia-connectors';
 * const reason: TimeoutReason = (ctx, ms) => new ConnectorError('TIMEOUT', `"${ctx.connector}" took over ${ms} ms`);
 * ```
 */
export type TimeoutReason = (ctx: CallContext<unknown>, ms: number) => ConnectorError;

type Listener = () => void;

/**
 * The signal a timeout layer hands down for one call or attempt, with the deadline
 * behind it: one object where a closure per purpose (fire, reason, unlink, clear)
 * used to be kept alive for the whole I/O. It aborts with its reason when the
 * deadline passes, or with the parent's reason when the parent aborts.
 *
 * Most signals only ever have one listener at a time (the transport's, or an inner
 * guard), so the first is kept in a field and only later ones go to an array. An inner
 * guard links itself into that field directly instead of registering a closure.
 *
 * @example
 * ```ts
 * import { TimeoutGuard, ConnectorError } from 'ia-connectors';
 * const ctx = { connector: 'a', request: {}, signal: undefined, attempt: 1, deadline: undefined, startedAt: performance.now() };
 * const guard = new TimeoutGuard(ctx, 1000, (c, ms) => new ConnectorError('TIMEOUT', `${c.connector}: over ${ms} ms`));
 * guard.clear();
 * ```
 */
export class TimeoutGuard implements CallSignal, Expiring {
  #aborted = false;
  #reason: unknown = undefined;
  /** The first listener, or an inner guard linked in its place. */
  #first: Listener | TimeoutGuard | undefined;
  /** Listeners after the first, in the order they were added. */
  #more: Listener[] | undefined;
  readonly #ctx: CallContext<unknown>;
  readonly #ms: number;
  readonly #reasonOf: TimeoutReason;
  #deadline: ScheduledDeadline | undefined;
  /** How this guard follows its parent: linked into a parent guard, or a listener on another signal. */
  #onParentAbort: Listener | undefined;

  constructor(ctx: CallContext<unknown>, ms: number, reasonOf: TimeoutReason) {
    this.#ctx = ctx;
    this.#ms = ms;
    this.#reasonOf = reasonOf;
    const parent = ctx.signal;
    if (parent?.aborted) {
      this.abort(parent.reason);
      return;
    }
    this.#deadline = scheduleDeadline(ms, this);
    if (parent instanceof TimeoutGuard && parent.#first === undefined && parent.#more === undefined) parent.#first = this;
    else if (parent) parent.addEventListener('abort', (this.#onParentAbort = () => this.abort(parent.reason)), { once: true });
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  addEventListener(_type: 'abort', listener: Listener): void {
    if (this.#aborted) return;
    if (this.#first === undefined && this.#more === undefined) this.#first = listener;
    else (this.#more ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: Listener): void {
    if (this.#first === listener) {
      this.#first = undefined;
      return;
    }
    const more = this.#more;
    const index = more ? more.indexOf(listener) : -1;
    if (index >= 0) more?.splice(index, 1);
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** The deadline passed: abort with this timeout's own error. */
  expire(): void {
    this.#deadline = undefined;
    this.abort(this.#reasonOf(this.#ctx, this.#ms));
  }

  /** Aborts once; listeners run in the order added, the first one first. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const first = this.#first;
    const more = this.#more;
    this.#first = undefined;
    this.#more = undefined;
    if (first instanceof TimeoutGuard) first.abort(reason);
    else first?.();
    if (more) for (const listener of more) listener();
  }

  /** The guarded work ended: cancel the deadline and stop following the parent. */
  clear(): void {
    this.#deadline?.cancel();
    this.#deadline = undefined;
    const parent = this.#ctx.signal;
    if (parent instanceof TimeoutGuard && parent.#first === this) parent.#first = undefined;
    else if (this.#onParentAbort) parent?.removeEventListener('abort', this.#onParentAbort);
    this.#onParentAbort = undefined;
  }

  /** What a failed call reports: this timeout's error when it fired, whatever the transport made of the abort. */
  failure(error: unknown): unknown {
    return this.#aborted && this.#reason instanceof ConnectorError ? this.#reason : error;
  }
}
