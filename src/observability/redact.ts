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
  /** The secrets longest first, so a secret that contains another is hidden whole. */
  #ordered: string[] | undefined;

  constructor(rules: RedactionRules = {}) {
    this.add(rules);
  }

  /**
   * Adds names and secret values; secrets shorter than 4 characters are ignored to avoid
   * hiding ordinary text. A secret's URL-encoded spelling is hidden too, since URLs carry it so.
   */
  add(rules: RedactionRules): this {
    for (const h of rules.headers ?? []) this.#headers.add(h.toLowerCase());
    for (const q of rules.queryParams ?? []) this.#query.add(q);
    for (const s of rules.secrets ?? []) {
      if (s.length < 4) continue;
      this.#secrets.add(s);
      this.#secrets.add(encodeURIComponent(s));
      this.#ordered = undefined;
    }
    return this;
  }

  /**
   * Forgets secret values (names stay sensitive); used when a rotated credential
   * replaces an older one, so the list of secrets does not grow without bound.
   */
  remove(rules: Pick<RedactionRules, 'secrets'>): this {
    for (const s of rules.secrets ?? []) {
      this.#secrets.delete(s);
      this.#secrets.delete(encodeURIComponent(s));
      this.#ordered = undefined;
    }
    return this;
  }

  /**
   * A new redactor with this one's rules plus `rules`, leaving this one unchanged: for
   * hiding values that are secret in one context only (a credential seen in a request).
   */
  extend(rules: RedactionRules): Redactor {
    const copy = new Redactor({ headers: this.#headers, queryParams: this.#query });
    for (const secret of this.#secrets) copy.#secrets.add(secret);
    return copy.add(rules);
  }

  /** True when `value` is a registered secret. */
  hasSecret(value: string): boolean {
    return this.#secrets.has(value);
  }

  /** True when a query parameter's value must never be shown. */
  isSensitiveQueryParam(name: string): boolean {
    return this.#query.has(name);
  }

  /**
   * True when a field, header or query parameter named so holds a credential by its
   * name alone (`password`, `clientSecret`, `access_token`, `x-api-key`): the names
   * whose values `value()` hides, for code that redacts records field by field.
   */
  isSecretName(name: string): boolean {
    return SECRET_KEY.test(name);
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
    // Most URLs carry neither userinfo nor a sensitive query: skip the URL parser for them.
    if (!value.includes('@') && (this.#query.size === 0 || !value.includes('?'))) return this.text(value);
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
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    for (const secret of this.#ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out as T;
  }

  /** A deep copy of a JSON-like value with secrets hidden in keys named like credentials and in every string. */
  value(input: unknown): unknown {
    return redactValue(this, input, new WeakSet());
  }

  /** The message of any thrown value, with secrets hidden; for building new error messages from causes. */
  message(error: unknown): string {
    const text = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
    return this.text(text);
  }
}

// Keys that end with a credential word (`clientSecret`, `refresh_token`, `x-api-key`), so that
// neighbours such as `tokenUrl` or `tokenStore` stay readable.
const SECRET_KEY = /(pass(word|wd|phrase)?|secret|token|(api|access|secret|signing|private)[-_]?key|authorization|cookie|credentials?|assertion)$/i;
const SECRET_REFERENCE = /^\$\{(env|file):[^}]+\}$/;

function redactValue(redactor: Redactor, input: unknown, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return redactor.text(input);
  if (input === null || typeof input !== 'object') return input;
  if (seen.has(input)) return '[Circular]';
  seen.add(input);
  if (Array.isArray(input)) return input.map((v) => redactValue(redactor, v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    out[key] = SECRET_KEY.test(key) && value !== undefined && typeof value !== 'boolean' && !isReference(value) ? REDACTED : redactValue(redactor, value, seen);
  }
  return out;
}

/** A `${env:...}`/`${file:...}` reference names where a secret lives, not the secret, so it may be shown. */
function isReference(value: unknown): boolean {
  return typeof value === 'string' && SECRET_REFERENCE.test(value);
}
