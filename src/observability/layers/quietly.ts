const warned = new Set<string>();

/**
 * Calls `fn` and returns its value, or `undefined` when it throws: an observer that
 * fails must never break the call or step it watches. The first failure of each hook
 * is reported once as a process warning (naming the hook and the error's type, never
 * its message, which may hold anything), so a broken observer does not fail silently.
 *
 * @example
 * ```ts
 * import { quietly } from './quietly.js';
 * quietly(() => JSON.parse('{'), 'startCall'); // undefined, and one warning
 * ```
 */
export function quietly<T>(fn: () => T, hook: string): T | undefined {
  try {
    return fn();
  } catch (error) {
    warnOnce(hook, error);
    return undefined;
  }
}

function warnOnce(hook: string, error: unknown): void {
  if (warned.has(hook)) return;
  warned.add(hook);
  const kind = error === undefined ? 'it never ran the work' : error instanceof Error ? error.name : typeof error;
  process.emitWarning(`ia-connectors: an observer failed in ${hook} (${kind}) and was skipped; what it watched goes on unchanged. Reported once per hook.`);
}

/**
 * Something that runs work inside its own context (a span, a log scope).
 *
 * @example
 * ```ts
 * import type { Runner } from './quietly.js';
 * const plain: Runner = (fn) => fn();
 * ```
 */
export type Runner = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Runs `fn` once inside every runner, the first outermost. A runner that throws before
 * running its part is skipped; one that fails after it cannot change the outcome: the
 * work's own result or error is what comes back.
 *
 * @example
 * ```ts
 * import { runInside } from './quietly.js';
 * await runInside([(fn) => fn()], async () => 42); // 42
 * ```
 */
export function runInside<T>(runners: readonly Runner[], fn: () => Promise<T>): Promise<T> {
  const nest = async (index: number): Promise<T> => {
    const runner = runners[index];
    if (runner === undefined) return fn();
    let inner: Promise<T> | undefined;
    const next = (): Promise<T> => (inner ??= nest(index + 1));
    let failure: unknown;
    try {
      await runner(next);
    } catch (error) {
      failure = error;
    }
    // A runner that never ran the work is broken (a rejection after it ran is the work's own).
    if (inner === undefined) warnOnce('run', failure);
    // The work's value, not whatever the runner returned; run now if the runner never did.
    return next();
  };
  return nest(0);
}
