import type { AuthCredentials } from '../../auth/strategy.js';

/**
 * Notices when the auth strategy starts handing out a different credential (a
 * refreshed OAuth token, a re-signed JWT, a rotated provider token), so long-lived
 * subscriptions can reconnect with it. Comparing is cheap: identity first, then the
 * few header and query values.
 *
 * @example
 * ```ts
 * import { CredentialWatch } from 'ia-connectors';
 * const watch = new CredentialWatch();
 * watch.onChange((creds) => console.log('new credential', Object.keys(creds.headers)));
 * watch.observe({ headers: { authorization: 'Bearer a' } });
 * watch.observe({ headers: { authorization: 'Bearer b' } }); // logs once
 * ```
 */
export class CredentialWatch {
  #latest: AuthCredentials | undefined;
  #listeners: ((credentials: AuthCredentials) => void)[] = [];

  /** The credential seen last. */
  get latest(): AuthCredentials | undefined {
    return this.#latest;
  }

  /** Records a credential just obtained; listeners run when it differs from the last one. */
  observe(credentials: AuthCredentials): void {
    const previous = this.#latest;
    if (previous === credentials) return;
    this.#latest = credentials;
    if (previous === undefined || sameCredentials(previous, credentials)) return;
    for (const listener of this.#listeners) listener(credentials);
  }

  /** Calls `listener` with each new credential; returns the function that stops it. */
  onChange(listener: (credentials: AuthCredentials) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
}

/**
 * True when two credentials carry the same headers and query values.
 *
 * @example
 * ```ts
 * import { sameCredentials } from 'ia-connectors';
 * sameCredentials({ headers: { a: '1' } }, { headers: { a: '1' } }); // true
 * ```
 */
export function sameCredentials(a: AuthCredentials | undefined, b: AuthCredentials | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return sameRecord(a.headers, b.headers) && sameRecord(a.query ?? {}, b.query ?? {});
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
