import { readFile as readFileFromDisk } from 'node:fs/promises';
import { ConnectorError } from '../core/errors.js';
import type { Redactor } from '../observability/redact.js';

const REFERENCE = /^\$\{(env|file):([^}]*)\}$/;

/**
 * Where secret references are looked up; the defaults are `process.env` and the file system.
 *
 * @example
 * ```ts
 * import { resolveSecretRef, type SecretRefOptions } from 'ia-connectors';
 * const options: SecretRefOptions = { field: 'auth.token', env: { USERS_TOKEN: 't0k3n' } };
 * await resolveSecretRef('${env:USERS_TOKEN}', options); // 't0k3n'
 * ```
 */
export interface SecretRefOptions {
  /** The config path the value came from, named in error messages, e.g. `auth.token`. */
  field?: string;
  /** Variables for `${env:NAME}`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads `${file:/path}`; default `fs.readFile(path, 'utf8')`. */
  readFile?: (path: string) => Promise<string>;
  /** Every resolved value (references and literals alike) is registered here as a secret. */
  redactor?: Redactor;
}

/**
 * True when `value` is a `${env:NAME}` or `${file:/path}` reference.
 *
 * @example
 * ```ts
 * import { isSecretRef } from 'ia-connectors';
 * isSecretRef('${env:GITHUB_TOKEN}'); // true
 * isSecretRef('ghp_literal'); // false
 * ```
 */
export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

/**
 * Resolves one secret field: `${env:NAME}` reads an environment variable,
 * `${file:/path}` reads a file (trailing line breaks removed, as secret files
 * usually end with one); any other string is a literal and is returned as is. A
 * missing or empty source is a `CONFIG` error naming the reference, never a value.
 *
 * @example
 * ```ts
 * import { resolveSecretRef } from 'ia-connectors';
 * const token = await resolveSecretRef('${file:/run/secrets/users_token}', { field: 'auth.token' });
 * ```
 */
export async function resolveSecretRef(value: string, options: SecretRefOptions = {}): Promise<string> {
  const match = REFERENCE.exec(value);
  const resolved = match ? await lookUp(value, match[1] as 'env' | 'file', match[2] ?? '', options) : value;
  options.redactor?.add({ secrets: [resolved] });
  return resolved;
}

/**
 * Resolves every reference inside a JSON-like value (objects and arrays are copied;
 * other values are kept); error messages name the path, e.g. `auth.clientSecret`.
 *
 * @example
 * ```ts
 * import { resolveSecretRefs } from 'ia-connectors';
 * const auth = await resolveSecretRefs({ type: 'bearer', token: '${env:USERS_TOKEN}' }, { field: 'auth' });
 * ```
 */
export async function resolveSecretRefs<T>(input: T, options: SecretRefOptions = {}): Promise<T> {
  return (await walk(input, options.field ?? '', options)) as T;
}

async function walk(value: unknown, path: string, options: SecretRefOptions): Promise<unknown> {
  if (typeof value === 'string') return isSecretRef(value) ? resolveSecretRef(value, { ...options, field: path || undefined }) : value;
  if (Array.isArray(value)) return Promise.all(value.map((item, i) => walk(item, `${path}[${i}]`, options)));
  if (!isPlainObject(value)) return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, item]) => [key, await walk(item, path ? `${path}.${key}` : key, options)] as const),
  );
  return Object.fromEntries(entries);
}

async function lookUp(reference: string, kind: 'env' | 'file', target: string, options: SecretRefOptions): Promise<string> {
  const change = options.field ? `change ${options.field}` : 'change the reference';
  const fail = (problem: string, fix: string): ConnectorError =>
    new ConnectorError('CONFIG', `${reference} ${problem}; ${fix}`, { details: { reference, ...(options.field ? { field: options.field } : {}) } });
  if (kind === 'env') {
    const found = (options.env ?? process.env)[target];
    if (found === undefined) throw fail('is not set', `export ${target} or ${change}`);
    if (found === '') throw fail('is set but empty', `give ${target} a value or ${change}`);
    return found;
  }
  let text: string;
  try {
    text = await (options.readFile ?? ((path: string) => readFileFromDisk(path, 'utf8')))(target);
  } catch (error) {
    throw fail(describeFileError(error), `fix the file or ${change}`);
  }
  const trimmed = text.replace(/[\r\n]+$/, '');
  if (trimmed === '') throw fail('is an empty file', `write the secret into ${target} or ${change}`);
  return trimmed;
}

function describeFileError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot be read (${typeof code === 'string' ? code : 'unknown error'})`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
