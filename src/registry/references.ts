import { isSecretRef } from '../auth/secret-ref.js';

const EMBEDDED = /\$\{(env|file):/;

/** Top-level fields whose strings may be secret references. */
const REFERENCE_FIELDS = new Set(['auth', 'headers']);

/** True for a path the registry resolves references at: auth fields, header values and the store's URL. */
function resolvedAt(path: PropertyKey[]): boolean {
  return REFERENCE_FIELDS.has(String(path[0])) || (path.length === 2 && path[0] === 'store' && path[1] === 'url');
}

/**
 * A secret reference found in a config: where it is and its text, such as
 * `${env:USERS_TOKEN}`. Never the resolved value.
 *
 * @example
 * ```ts
 * import type { SecretReference } from 'ia-connectors';
 * const r: SecretReference = { path: ['auth', 'token'], reference: '${env:USERS_TOKEN}' };
 * ```
 */
export interface SecretReference {
  path: PropertyKey[];
  reference: string;
}

/**
 * Every secret reference in a config, with its path, in document order. A reference
 * is a whole string value: `${env:NAME}` or `${file:/path}`.
 *
 * @example
 * ```ts
 * import { findSecretReferences } from 'ia-connectors';
 * findSecretReferences({ auth: { type: 'bearer', token: '${env:T}' } }); // [{ path: ['auth', 'token'], reference: '${env:T}' }]
 * ```
 */
export function findSecretReferences(config: unknown): SecretReference[] {
  const found: SecretReference[] = [];
  walk(config, [], (value, path) => {
    if (isSecretRef(value)) found.push({ path, reference: value });
  });
  return found;
}

/**
 * References nothing would resolve, each with the reason: only whole values of `auth`
 * fields, `headers` and `store.url` are resolved at connect, so a reference anywhere else, or one
 * embedded in longer text, would be used as literal text.
 *
 * @example
 * ```ts
 * import { misplacedSecretReferences } from './references.js';
 * misplacedSecretReferences({ userAgent: '${env:UA}' }); // [{ path: ['userAgent'], message: '...' }]
 * ```
 */
export function misplacedSecretReferences(config: unknown): { path: PropertyKey[]; message: string }[] {
  const misplaced: { path: PropertyKey[]; message: string }[] = [];
  walk(config, [], (value, path) => {
    if (!EMBEDDED.test(value)) return;
    if (!isSecretRef(value)) {
      misplaced.push({ path, message: 'a secret reference must be the whole value, e.g. "${env:API_TOKEN}"; for "Bearer <token>" use auth: { type: bearer }' });
    } else if (!resolvedAt(path)) {
      misplaced.push({ path, message: 'secret references are resolved only in auth fields and header values (and store.url); write the value itself here' });
    }
  });
  return misplaced;
}

function walk(value: unknown, path: PropertyKey[], visit: (value: string, path: PropertyKey[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) walk(item, [...path, key], visit);
  }
}
