import { z } from 'zod';
import { ConnectorError } from './errors.js';

/**
 * A duration in milliseconds: a positive integer up to one day.
 *
 * @example
 * ```ts
 * import { durationMs } from 'ia-connectors';
 * durationMs().parse(5000);
 * ```
 */
export function durationMs(max = 86_400_000) {
  return z
    .number({ error: 'must be a number of milliseconds, e.g. 5000' })
    .int({ error: 'must be a whole number of milliseconds, e.g. 5000' })
    .positive({ error: 'must be a positive number of milliseconds (greater than 0), e.g. 5000' })
    .max(max, { error: `must be at most ${max} ms` });
}

/**
 * An absolute URL with one of `schemes` (http and https by default), no credentials
 * and no fragment; messages show `example` as the form to write.
 *
 * @example
 * ```ts
 * import { httpUrl } from 'ia-connectors';
 * httpUrl().parse('https://api.example.com/v1');
 * httpUrl({ schemes: ['ws:', 'wss:', 'http:', 'https:'], example: 'wss://stream.example.com' }).parse('wss://stream.example.com');
 * ```
 */
export function httpUrl(options: { schemes?: readonly string[]; example?: string } = {}) {
  const schemes = new Set(options.schemes ?? ['http:', 'https:']);
  const example = options.example ?? 'https://api.example.com';
  const names = [...schemes].map((s) => `${s}//`);
  const allowed = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
  return z.string({ error: `must be a URL string such as "${example}"` }).superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${truncate(value)}" is not an absolute URL; write it as "${example}"` });
      return;
    }
    if (!schemes.has(url.protocol)) {
      ctx.addIssue({ code: 'custom', message: `scheme "${url.protocol}" is not supported; use ${allowed}` });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: `credentials in the URL are not allowed; use the auth setting instead` });
    }
    if (url.hash) ctx.addIssue({ code: 'custom', message: `remove the "#fragment"; it is never sent` });
  });
}

/**
 * Turns a zod error into one `CONFIG` {@link ConnectorError} listing every issue as
 * `path: what is wrong and how to fix it`.
 *
 * @example
 * ```ts
 * import { configErrorFrom } from 'ia-connectors';
 * import { z } from 'zod';
 * const r = z.object({ a: z.number() }).safeParse({});
 * if (!r.success) throw configErrorFrom(r.error, 'connector "users"');
 * ```
 */
export function configErrorFrom(error: z.ZodError, subject: string): ConnectorError {
  const lines = error.issues.map((issue) => `  - ${describeIssue(issue)}`);
  const noun = lines.length === 1 ? 'problem' : 'problems';
  return new ConnectorError('CONFIG', `invalid ${subject}: ${lines.length} ${noun}\n${lines.join('\n')}`, {
    details: { issues: error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) },
  });
}

/**
 * Parses `input` with `schema` or throws a `CONFIG` error naming each bad field.
 *
 * @example
 * ```ts
 * import { parseConfig } from 'ia-connectors';
 * import { z } from 'zod';
 * const cfg = parseConfig(z.object({ n: z.number() }), { n: 1 }, 'settings');
 * ```
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw configErrorFrom(result.error, subject);
  return result.data;
}

/**
 * Formats a zod path as `connectors[0].auth.token`.
 *
 * @example
 * ```ts
 * import { formatPath } from 'ia-connectors';
 * formatPath(['connectors', 0, 'baseUrl']); // 'connectors[0].baseUrl'
 * ```
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(root)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}; check the spelling or remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
  }
  return `${path}: ${issue.message}`;
}

function truncate(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * TLS settings shared by the HTTP-based connectors: verification stays on unless
 * turned off explicitly; extra CAs in PEM; an SNI override.
 *
 * @example
 * ```ts
 * import { tlsConfigSchema } from 'ia-connectors';
 * tlsConfigSchema().parse({ ca: '-----BEGIN CERTIFICATE-----...' });
 * ```
 */
export function tlsConfigSchema() {
  return z
    .object({
      /** Keep on: turning verification off accepts any certificate. */
      rejectUnauthorized: z.boolean().default(true),
      /** Extra trusted CA certificates in PEM. */
      ca: z.union([z.string(), z.array(z.string())]).optional(),
      servername: z.string().optional(),
    })
    .strict()
    .default({ rejectUnauthorized: true });
}
