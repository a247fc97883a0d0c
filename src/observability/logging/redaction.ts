import { Redactor } from '../redact.js';

/**
 * The redactors whose rules a log line or a report value must pass: one `Redactor`
 * (a connector's `connector.redactor`) or several. An array is read each time a value
 * is redacted, so redactors pushed into it later (a connector created mid-run) count.
 *
 * @example
 * ```ts
 * import { Redactor, type RedactorSource } from 'ia-connectors';
 * const redactors: RedactorSource = [new Redactor({ secrets: ['s3cr3t-value'] })];
 * ```
 */
export type RedactorSource = Redactor | readonly Redactor[];

const URL_IN_TEXT = /[a-z][a-z\d+.-]*:\/\/[^\s"'<>`]+/gi;
const MAX_DEPTH = 12;

/**
 * Applies a {@link RedactorSource} to text and structured values that leave the process
 * as logs or a report: URLs inside any string lose userinfo and sensitive query values,
 * `headers` objects lose sensitive header values, credential-named keys and every known
 * secret are hidden; which names are credentials is `Redactor.isSecretName`'s rule, so
 * a source with no redactor still hides them. It also turns values into plain JSON
 * data (errors, bigints, dates, bytes, cycles), since every caller serialises the result.
 *
 * @example
 * ```ts
 * import { Redaction } from './redaction.js';
 * new Redaction().text('GET https://u:p@api.test/?access_token=t'); // userinfo and token hidden
 * ```
 */
export class Redaction {
  readonly #source: RedactorSource | undefined;
  /** Stands in while the source holds no redactor: every `Redactor` hides credential names and userinfo. */
  readonly #defaults = new Redactor();

  constructor(source?: RedactorSource) {
    this.#source = source;
  }

  /** A redaction that applies this one's redactors and those of `more`. */
  with(more: RedactorSource | undefined): Redaction {
    if (more === undefined) return this;
    return new Redaction([...this.#sourced(), ...(more instanceof Redactor ? [more] : more)]);
  }

  /** Text with URLs, and then any secret, hidden. */
  text(value: string): string {
    const redactors = this.#redactors();
    let out = value.includes('://') ? value.replace(URL_IN_TEXT, (url) => this.#url(url, redactors)) : value;
    for (const r of redactors) out = r.text(out);
    return out;
  }

  /** A plain, JSON-safe copy of `input` with secrets hidden. */
  value(input: unknown): unknown {
    let out = this.#plain(input, new WeakSet(), 0);
    for (const r of this.#redactors()) out = r.value(out);
    return out;
  }

  /** A copy of a headers record with sensitive values hidden. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    let out: Record<string, string> = { ...headers };
    for (const r of this.#redactors()) out = r.headers(out);
    for (const [name, value] of Object.entries(out)) out[name] = this.text(value);
    return out;
  }

  #redactors(): readonly Redactor[] {
    const sourced = this.#sourced();
    return sourced.length > 0 ? sourced : [this.#defaults];
  }

  #sourced(): readonly Redactor[] {
    const source = this.#source;
    if (source === undefined) return [];
    return source instanceof Redactor ? [source] : source;
  }

  #url(url: string, redactors: readonly Redactor[]): string {
    let out = url;
    for (const r of redactors) out = r.url(out);
    return out;
  }

  #plain(input: unknown, seen: WeakSet<object>, depth: number): unknown {
    switch (typeof input) {
      case 'string':
        return this.text(input);
      case 'bigint':
        return input.toString();
      case 'function':
      case 'symbol':
        return undefined;
      case 'object':
        break;
      default:
        return input;
    }
    if (input === null) return null;
    if (seen.has(input)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Object]';
    if (input instanceof Date) return Number.isNaN(input.getTime()) ? null : input.toISOString();
    if (ArrayBuffer.isView(input)) return `[${input.constructor.name} ${input.byteLength} bytes]`;
    seen.add(input);
    try {
      if (input instanceof Error) return this.#plain(errorFields(input), seen, depth + 1);
      if (Array.isArray(input)) return input.map((v) => this.#plain(v, seen, depth + 1));
      if (input instanceof Map) return this.#plain(Object.fromEntries(input), seen, depth + 1);
      if (input instanceof Set) return this.#plain([...input], seen, depth + 1);
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(input)) {
        const plain = this.#plain(value, seen, depth + 1);
        out[key] = key.toLowerCase() === 'headers' && isStringRecord(plain) ? this.headers(plain) : plain;
      }
      return out;
    } finally {
      seen.delete(input);
    }
  }
}

/** The fields pino's error serialiser writes. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (error.stack !== undefined) fields.stack = error.stack;
  if (error.cause !== undefined) fields.cause = error.cause;
  return fields;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
