/**
 * The text that replaces every secret.
 *
 * @example
 * ```ts
 * import { REDACTED } from 'ia-connectors';
 * REDACTED; // '[REDACTED]'
 * ```
 */
export const REDACTED = '[REDACTED]';

const ALWAYS_SENSITIVE_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/**
 * Settings for a {@link Redactor}: header and query names whose values are hidden,
 * and literal secret values hidden wherever they appear.
 *
 * @example
 * ```ts
 * import type { RedactionRules } from 'ia-connectors';
 * const rules: RedactionRules = { headers: ['x-api-key'], queryParams: ['api_key'], secrets: ['s3cr3t'] };
 * ```
 */
export interface RedactionRules {
  headers?: Iterable<string>;
  queryParams?: Iterable<string>;
  secrets?: Iterable<string>;
}

/**
 * The one redaction utility: errors, events, logs and config `toJSON()` all pass
 * through it. `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie` are
 * always hidden; more header names, query parameters and secret values can be added
 * (auth strategies add theirs when they resolve credentials).
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * const r = new Redactor({ queryParams: ['api_key'] });
 * r.url('https://x.test/a?api_key=k&b=1'); // 'https://x.test/a?api_key=%5BREDACTED%5D&b=1'
 * ```
 */
export class Redactor {
  readonly #headers = new Set(ALWAYS_SENSITIVE_HEADERS);
  readonly #query = new Set<string>();
  readonly #secrets = new Set<string>();

  constructor(rules: RedactionRules = {}) {
    this.add(rules);
  }

  /** Adds names and secret values; secrets shorter than 4 characters are ignored to avoid hiding ordinary text. */
  add(rules: RedactionRules): this {
    for (const h of rules.headers ?? []) this.#headers.add(h.toLowerCase());
    for (const q of rules.queryParams ?? []) this.#query.add(q);
    for (const s of rules.secrets ?? []) if (s.length >= 4) this.#secrets.add(s);
    return this;
  }

  /** True when a header's value must never be shown or forwarded cross-origin. */
  isSensitiveHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  /** A copy of `headers` with sensitive values replaced. */
  headers<H extends Record<string, string | string[] | undefined>>(headers: H): H {
    const out: Record<string, string | string[] | undefined> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = this.#headers.has(name.toLowerCase()) ? REDACTED : value === undefined ? undefined : this.text(value);
    }
    return out as H;
  }

  /** A URL with sensitive query values and userinfo replaced; non-URLs pass through `text()`. */
  url(value: string): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return this.text(value);
    }
    if (url.username) url.username = REDACTED;
    if (url.password) url.password = REDACTED;
    for (const name of this.#query) if (url.searchParams.has(name)) url.searchParams.set(name, REDACTED);
    return this.text(url.toString());
  }

  /** Text with every known secret value replaced. */
  text<T extends string | string[]>(value: T): T {
    if (this.#secrets.size === 0) return value;
    if (Array.isArray(value)) return value.map((v) => this.text(v)) as T;
    let out: string = value;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out as T;
  }

  /** A deep copy of a JSON-like value with secrets hidden in keys named like credentials and in every string. */
  value(input: unknown): unknown {
    return redactValue(this, input, new WeakSet());
  }
}

const SECRET_KEY = /(pass(word)?|secret|token|api[-_]?key|authorization|cookie|private[-_]?key|credential)/i;

function redactValue(redactor: Redactor, input: unknown, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return redactor.text(input);
  if (input === null || typeof input !== 'object') return input;
  if (seen.has(input)) return '[Circular]';
  seen.add(input);
  if (Array.isArray(input)) return input.map((v) => redactValue(redactor, v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    out[key] = SECRET_KEY.test(key) && typeof value === 'string' && !/^\$\{(env|file):[^}]+\}$/.test(value) ? REDACTED : redactValue(redactor, value, seen);
  }
  return out;
}
