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
 * The one redaction utility: errors, events, logs, spans, reports, cassettes and config
 * `toJSON()` all pass through it. `Authorization`, `Proxy-Authorization`, `Cookie` and
 * `Set-Cookie` are always hidden, and so is any header, query parameter or field named
 * like a credential (see {@link Redactor.isSecretName}); more header names, query
 * parameters and secret values can be added (auth strategies add theirs when they
 * resolve credentials).
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * const r = new Redactor({ queryParams: ['key'] });
 * r.url('https://x.test/a?key=k&access_token=t&b=1'); // 'https://x.test/a?key=%5BREDACTED%5D&access_token=%5BREDACTED%5D&b=1'
 * r.isSecretName('X-Amz-Signature'); // true
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

  /** True when a query parameter's value must never be shown: a configured name, or one named like a credential. */
  isSensitiveQueryParam(name: string): boolean {
    return this.#query.has(name) || CREDENTIAL_NAME.test(name);
  }

  /**
   * True when a header, query parameter, JSON or form field named so holds a credential
   * by its name alone: the single rule every redacting part of the library applies.
   * The name matches when it ends, in any case, with `password` (`pass`, `passwd`,
   * `passphrase`), `secret`, `token`, `api_key`/`apikey`/`api-key` (also `access`,
   * `secret`, `signing`, `private` keys), `access_key_id`, `authorization`, `cookie`,
   * `credential(s)`, `assertion`, `signature` or `sig`: so `client_secret`,
   * `refresh_token`, `x-api-key`, `Set-Cookie`, `X-Amz-Signature`, `X-Amz-Credential`,
   * `X-Amz-Security-Token`, `X-Goog-Signature` and `AWSAccessKeyId` count, while
   * neighbours such as `tokenUrl` or `tokenStore` stay readable.
   *
   * Bare `key` and `code` do not count: in configs, bodies and most query strings they
   * are identifiers (a rate-limit key, an error or country code), and hiding them would
   * blank what logs are read for and let a recorded `?code=US` match any code on replay.
   * An API that takes a credential as `?key=` gets it hidden all the same: the `api_key`
   * strategy registers its parameter name and the key itself; otherwise add the name
   * with `queryParams`.
   */
  isSecretName(name: string): boolean {
    return CREDENTIAL_NAME.test(name);
  }

  /**
   * True for the always-hidden headers and those registered (an auth strategy's): values
   * never shown nor forwarded cross-origin. `headers()` hides credential-named ones too.
   */
  isSensitiveHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  /** A copy of `headers` with the values of sensitive and credential-named headers replaced. */
  headers<H extends Record<string, string | string[] | undefined>>(headers: H): H {
    const out: Record<string, string | string[] | undefined> = {};
    for (const [name, value] of Object.entries(headers)) {
      const hidden = this.#headers.has(name.toLowerCase()) || CREDENTIAL_NAME.test(name);
      out[name] = hidden ? REDACTED : value === undefined ? undefined : this.text(value);
    }
    return out as H;
  }

  /**
   * A URL with userinfo and the values of sensitive query parameters (configured or named
   * like a credential) replaced; non-URLs pass through `text()`.
   */
  url(value: string): string {
    // Most URLs carry neither userinfo nor a sensitive parameter: names are read from the
    // text, and the URL parser runs only when something needs hiding.
    const queryAt = value.indexOf('?');
    const hidesQuery = queryAt >= 0 && queryNames(value, queryAt + 1).some((name) => this.isSensitiveQueryParam(name));
    if (!hidesQuery && !value.includes('@')) return this.text(value);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return this.text(value);
    }
    if (url.username) url.username = REDACTED;
    if (url.password) url.password = REDACTED;
    if (hidesQuery) for (const name of new Set(url.searchParams.keys())) if (this.isSensitiveQueryParam(name)) url.searchParams.set(name, REDACTED);
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

// Matched at the end of the name, so compound spellings (`clientSecret`, `x-api-key`) count and
// neighbours (`tokenUrl`) do not; see `Redactor.isSecretName` for the rule and its exclusions.
const CREDENTIAL_NAME = /(pass(word|wd|phrase)?|secret|token|(api|access|secret|signing|private)[-_]?key|access[-_]?key[-_]?id|authorization|cookie|credentials?|assertion|sig(nature)?)$/i;
const SECRET_REFERENCE = /^\$\{(env|file):[^}]+\}$/;

function redactValue(redactor: Redactor, input: unknown, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return redactor.text(input);
  if (input === null || typeof input !== 'object') return input;
  if (seen.has(input)) return '[Circular]';
  seen.add(input);
  if (Array.isArray(input)) return input.map((v) => redactValue(redactor, v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    out[key] = CREDENTIAL_NAME.test(key) && value !== undefined && typeof value !== 'boolean' && !isReference(value) ? REDACTED : redactValue(redactor, value, seen);
  }
  return out;
}

/** The decoded parameter names of the query that starts at `from`, up to any fragment. */
function queryNames(url: string, from: number): string[] {
  const hash = url.indexOf('#', from);
  const query = hash < 0 ? url.slice(from) : url.slice(from, hash);
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!name.includes('%') && !name.includes('+')) return name;
    try {
      return decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      return name;
    }
  });
}

/** A `${env:...}`/`${file:...}` reference names where a secret lives, not the secret, so it may be shown. */
function isReference(value: unknown): boolean {
  return typeof value === 'string' && SECRET_REFERENCE.test(value);
}
