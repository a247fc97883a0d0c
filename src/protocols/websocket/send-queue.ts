import type { PendingReplies } from './correlation.js';
import type { WireFrame } from './types.js';

/**
 * One frame waiting for the socket to (re)open.
 *
 * @example
 * ```ts
 * import type { QueuedFrame } from './send-queue.js';
 * const item: QueuedFrame = { frame: '{"n":1}', resolve: () => {}, reject: () => {} };
 * ```
 */
export interface QueuedFrame {
  readonly frame: WireFrame;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** The correlation id when the frame is a request. */
  readonly correlationId?: number | string | undefined;
}

/**
 * Frames sent while the socket is not open, kept in order up to `size`; the
 * connector writes them out, oldest first, once it reopens.
 *
 * @example
 * ```ts
 * import { SendQueue } from './send-queue.js';
 * const queue = new SendQueue(500);
 * queue.push({ frame: 'hello', resolve: () => {}, reject: () => {} }); // true
 * ```
 */
export class SendQueue {
  #items: QueuedFrame[] = [];

  constructor(readonly size: number) {}

  /** Frames waiting now. */
  get length(): number {
    return this.#items.length;
  }

  /** Adds a frame; `false` when the queue is full. */
  push(item: QueuedFrame): boolean {
    if (this.#items.length >= this.size) return false;
    this.#items.push(item);
    return true;
  }

  /** Takes every frame, oldest first, leaving the queue empty. */
  drain(): QueuedFrame[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  /** Puts frames that could not be written back at the front, keeping their order. */
  requeue(items: readonly QueuedFrame[]): void {
    if (items.length > 0) this.#items = [...items, ...this.#items];
  }

  /** Rejects every waiting frame with `error`. */
  failAll(error: unknown): void {
    for (const item of this.drain()) item.reject(error);
  }
}

/**
 * Writes `queue` out on `channel`, oldest first; `false` when the socket dropped
 * first (the rest stays queued, in order). A request that already gave up (timeout,
 * abort) is skipped: its reply would be dropped anyway.
 *
 * @example
 * ```ts
 * import { flushQueue, SendQueue } from './send-queue.js';
 * import { PendingReplies } from './correlation.js';
 * declare const channel: { readonly isOpen: boolean; send(frame: string | Uint8Array): void };
 * flushQueue(new SendQueue(10), new PendingReplies('id', () => {}), channel);
 * ```
 */
export function flushQueue(queue: SendQueue, pending: PendingReplies, channel: { readonly isOpen: boolean; send(frame: WireFrame): void }): boolean {
  const items = queue.drain();
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as QueuedFrame;
    if (!channel.isOpen) {
      queue.requeue(items.slice(i));
      return false;
    }
    const id = item.correlationId;
    if (id === undefined || pending.has(id)) {
      channel.send(item.frame);
      if (id !== undefined) pending.markSent(id);
    }
    item.resolve();
  }
  return true;
}
