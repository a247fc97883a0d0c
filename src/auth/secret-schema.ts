import { isAbsolute } from 'node:path';
import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A secret field: a literal, `${env:NAME}` or `${file:/absolute/path}`. Only the
 * reference's shape is checked here; it is read at connect, so a config can be
 * validated on a machine that does not hold the secrets.
 *
 * @example
 * ```ts
 * import { secretString } from 'ia-connectors';
 * secretString().parse('${env:USERS_TOKEN}');
 * ```
 */
export function secretString() {
  return z
    .string({ error: 'must be a string: the secret itself, "${env:NAME}" or "${file:/path/to/secret}"' })
    .min(1, { error: 'must not be empty; write the secret, "${env:NAME}" or "${file:/path/to/secret}"' })
    .superRefine((value, ctx) => {
      const problem = referenceProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

function referenceProblem(value: string): string | undefined {
  if (!value.startsWith('${')) return undefined;
  const match = /^\$\{([a-z]+):([^}]*)\}$/.exec(value);
  // Not echoed: a malformed value may be a literal secret that happens to start with "${".
  if (!match) return 'starts with "${" but is not a reference; write "${env:NAME}" or "${file:/path}"';
  const [, kind, target = ''] = match;
  if (kind === 'env') {
    return ENV_NAME.test(target) ? undefined : `"${value}": "${target}" is not a variable name; use letters, digits and "_", e.g. \${env:API_TOKEN}`;
  }
  if (kind === 'file') {
    return isAbsolute(target) ? undefined : `"${value}": the path must be absolute, e.g. \${file:/run/secrets/api_token}`;
  }
  return `"${value}": unknown reference kind "${kind}"; use \${env:NAME} or \${file:/path}`;
}
