import type { Redaction } from '../logging/redaction.js';
import type { ObservedMessage } from '../observer.js';

/**
 * Caps how much request and response text a report keeps: each body up to
 * `maxBodyBytes` (longer ones keep their start, marked `truncated`), and all bodies
 * together up to `maxTotalBytes`, after which bodies are left out and counted.
 *
 * @example
 * ```ts
 * import { BodyBudget } from './bodies.js';
 * import { Redaction } from '../logging/redaction.js';
 * const budget = new BodyBudget(new Redaction(), 1024, 65_536);
 * budget.capture(() => ({ body: { id: 1 } })); // { body: { id: 1 } }
 * ```
 */
export class BodyBudget {
  #left: number;
  #omitted = 0;

  constructor(
    private readonly redaction: Redaction,
    private readonly maxBodyBytes: number,
    maxTotalBytes: number,
  ) {
    this.#left = maxTotalBytes;
  }

  /** Bodies left out because the total budget was spent. */
  get omitted(): number {
    return this.#omitted;
  }

  /** A redacted, size-bounded copy of a message produced lazily by the observed call. */
  capture(produce: (() => ObservedMessage) | undefined): ObservedMessage | undefined {
    if (produce === undefined) return undefined;
    let message: ObservedMessage;
    try {
      message = produce();
    } catch {
      return undefined;
    }
    const headers = message.headers === undefined ? undefined : this.redaction.headers(message.headers);
    const bounded = this.#body(message.body);
    const truncated = message.truncated === true || bounded.truncated;
    return { ...(headers ? { headers } : {}), ...(bounded.present ? { body: bounded.body } : {}), ...(truncated ? { truncated } : {}) };
  }

  #body(raw: unknown): { present: boolean; body?: unknown; truncated: boolean } {
    if (raw === undefined) return { present: false, truncated: false };
    const body = this.redaction.value(raw);
    const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
    if (this.#left <= 0) {
      this.#omitted += 1;
      return { present: true, body: '[body left out: the report body budget is spent]', truncated: true };
    }
    if (text.length <= this.maxBodyBytes && text.length <= this.#left) {
      this.#left -= text.length;
      return { present: true, body, truncated: false };
    }
    const kept = text.slice(0, Math.min(this.maxBodyBytes, this.#left));
    this.#left -= kept.length;
    return { present: true, body: `${kept}…`, truncated: true };
  }
}
