import type { Redactor } from '../observability/redact.js';

/**
 * Keeps the redactor hiding a rotating credential (access tokens, refresh tokens,
 * signed JWTs): each new value is added and the oldest beyond `keep` is forgotten,
 * so a long-running connector does not accumulate every token it ever saw.
 *
 * @example
 * ```ts
 * import { Redactor, SecretHistory } from 'ia-connectors';
 * const history = new SecretHistory(new Redactor());
 * history.push('access-token-1');
 * ```
 */
export class SecretHistory {
  readonly #values: string[] = [];

  constructor(
    private readonly redactor: Redactor,
    /** How many recent values stay hidden; the previous one may still be in flight. */
    private readonly keep = 3,
  ) {}

  /** Hides `value` from now on. */
  push(value: string): void {
    if (this.#values.includes(value)) return;
    this.redactor.add({ secrets: [value] });
    this.#values.push(value);
    while (this.#values.length > this.keep) {
      const old = this.#values.shift();
      if (old !== undefined) this.redactor.remove({ secrets: [old] });
    }
  }
}
