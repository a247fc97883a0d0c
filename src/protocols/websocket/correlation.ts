import { scheduleDeadline, type ScheduledDeadline } from '../../core/deadlines.js';
import { ConnectorError } from '../../core/errors.js';
import type { MessageFilter } from './filters.js';
import type { WebSocketMessage } from './types.js';

/** Ids of requests that gave up, remembered so their late replies are dropped, not streamed. */
const LATE_MEMORY = 1024;

interface Waiter {
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly deadline: ScheduledDeadline;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
  /** True once the request's frame went out on a socket that is still the current one. */
  sent: boolean;
}

/**
 * Requests waiting for their replies, by correlation id. Each wait costs a map
 * entry and a slot on the shared deadline queue, never a timer of its own, so
 * thousands of requests can be in flight at once.
 *
 * @example
 * ```ts
 * import { PendingReplies } from './correlation.js';
 * const pending = new PendingReplies('id', () => {});
 * const reply = pending.wait(pending.nextId(), 5000, undefined, 'feed');
 * ```
 */
export class PendingReplies {
  readonly #waiting = new Map<number | string, Waiter>();
  readonly #late = new Set<number | string>();
  #nextId = 0;

  constructor(
    readonly field: string,
    private readonly onLate: () => void,
    private readonly createId?: () => number | string,
  ) {}

  /** Requests waiting now. */
  get size(): number {
    return this.#waiting.size;
  }

  /** True when {@link PendingReplies.nextId} cannot repeat an id (no custom generator). */
  get uniqueIds(): boolean {
    return this.createId === undefined;
  }

  /** A fresh correlation id. */
  nextId(): number | string {
    return this.createId ? this.createId() : ++this.#nextId;
  }

  /** True while the request with `id` still waits. */
  has(id: number | string): boolean {
    return this.#waiting.has(id);
  }

  /**
   * Waits for the reply carrying `id` (the same value and JSON type) and resolves with
   * its parsed body; `TIMEOUT` after `timeoutMs`, `ABORTED` when `signal` aborts.
   */
  wait(id: number | string, timeoutMs: number, signal: AbortSignal | undefined, connector: string): Promise<unknown> {
    if (this.#waiting.has(id)) {
      return Promise.reject(new ConnectorError('INVALID_REQUEST', `correlation id ${id} is already waiting for a reply; give each request its own id`));
    }
    return new Promise((resolve, reject) => {
      const expire = (error: ConnectorError): void => {
        if (!this.#finish(id)) return;
        this.#remember(id);
        reject(error);
      };
      const deadline = scheduleDeadline(timeoutMs, () =>
        expire(
          new ConnectorError('TIMEOUT', `no reply with ${this.field} ${id} from connector "${connector}" within ${timeoutMs} ms; raise the request timeout or check that the server echoes "${this.field}"`, {
            details: { connector, correlationId: id, timeoutMs },
          }),
        ),
      );
      const onAbort = signal
        ? (): void => expire(new ConnectorError('ABORTED', `the request with ${this.field} ${id} was aborted by the caller's AbortSignal`, { cause: signal.reason }))
        : undefined;
      this.#waiting.set(id, { resolve, reject, deadline, signal, onAbort, sent: false });
      if (signal && onAbort) {
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /** Marks the request's frame as written to the current socket. */
  markSent(id: number | string): void {
    const waiter = this.#waiting.get(id);
    if (waiter) waiter.sent = true;
  }

  /** Fails one waiting request (its frame could not be sent). */
  fail(id: number | string, error: unknown): void {
    this.#finish(id)?.reject(error);
  }

  /**
   * Fails the requests already sent (their replies cannot arrive on another socket),
   * or every request when `all`.
   */
  failSent(error: unknown, all = false): void {
    for (const [id, waiter] of [...this.#waiting]) {
      if (all || waiter.sent) this.#finish(id)?.reject(error);
    }
  }

  /** Hands `message` to the request it answers: `matched`, `late` (dropped) or `none`. */
  settle(message: WebSocketMessage): 'matched' | 'late' | 'none' {
    if (message.type !== 'json' || typeof message.data !== 'object' || message.data === null) return 'none';
    const id = (message.data as Record<string, unknown>)[this.field];
    if (typeof id !== 'string' && typeof id !== 'number') return 'none';
    const waiter = this.#finish(id);
    if (waiter) {
      waiter.resolve(message.data);
      return 'matched';
    }
    if (this.#late.size > 0 && this.#late.delete(id)) {
      this.onLate();
      return 'late';
    }
    return 'none';
  }

  /** Removes the waiter for `id` and stops its deadline and abort listener; `undefined` when none waits. */
  #finish(id: number | string): Waiter | undefined {
    const waiter = this.#waiting.get(id);
    if (!waiter) return undefined;
    this.#waiting.delete(id);
    waiter.deadline.cancel();
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    return waiter;
  }

  #remember(id: number | string): void {
    this.#late.add(id);
    if (this.#late.size > LATE_MEMORY) this.#late.delete(this.#late.values().next().value as number | string);
  }
}

/**
 * The first filter: stamps the correlation id into a request's message on the way
 * out and hands each reply to its waiting request on the way in. Unmatched
 * messages go on to the stream; replies to requests that gave up are dropped.
 *
 * @example
 * ```ts
 * import { correlationFilter, PendingReplies } from './correlation.js';
 * const filter = correlationFilter(new PendingReplies('id', () => {}));
 * filter.send?.({ op: 'sum' }, { correlationId: 1 }); // { op: 'sum', id: 1 }
 * ```
 */
export function correlationFilter(pending: PendingReplies): MessageFilter {
  const field = pending.field;
  return {
    send: (message, meta) => (meta.correlationId === undefined ? message : { ...(message as object), [field]: meta.correlationId }),
    receive: (message) => (pending.settle(message) === 'none' ? message : undefined),
  };
}
