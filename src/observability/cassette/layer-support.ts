import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { CallContext } from '../../core/middleware.js';
import { Redactor } from '../redact.js';
import type { CassetteRedactor } from './adapter.js';
import type { RecordedError } from './format.js';

const MAX_OPEN_ATTEMPTS = 1024;

/**
 * Where a cassette layer finds its connector's redactor at each call: the one given
 * (or returned by the function given), else a plain one that still hides credentials
 * by name.
 *
 * @example
 * ```ts
 * import { redactorOf } from './layer-support.js';
 * const current = redactorOf(undefined);
 * current().isSecretName('password'); // true
 * ```
 */
export function redactorOf(source: CassetteRedactor | undefined): () => Redactor {
  const fallback = new Redactor();
  return () => (typeof source === 'function' ? source() : source) ?? fallback;
}

/**
 * Throws the reason of an aborted call (its own `ConnectorError`, else `ABORTED`), so
 * a replay fails an aborted call the way the transport would.
 *
 * @example
 * ```ts
 * import { throwIfAborted } from './layer-support.js';
 * throwIfAborted(undefined, 'users'); // nothing to do
 * ```
 */
export function throwIfAborted(signal: { readonly aborted: boolean; readonly reason: unknown } | undefined, connector: string): void {
  if (!signal?.aborted) return;
  if (isConnectorError(signal.reason)) throw signal.reason;
  throw new ConnectorError('ABORTED', `a call through connector "${connector}" was aborted by the caller's AbortSignal`, { details: { connector } });
}

/**
 * The `ConnectorError` a stored error stands for: same code, message, retryability
 * and details.
 *
 * @example
 * ```ts
 * import { replayedError } from './layer-support.js';
 * replayedError({ code: 'TIMEOUT', message: 'no reply', retryable: true }).retryable; // true
 * ```
 */
export function replayedError(recorded: RecordedError): ConnectorError {
  const { code, message, retryable, details } = recorded;
  return new ConnectorError(code, message, { retryable, details: details ? structuredClone(details) : {} });
}

/**
 * Stores attempts, marking `superseded` an answer the auth layer replaced within the
 * same attempt: attempts of one call that were re-sent with a renewed credential share
 * start time, attempt number and request.
 *
 * @example
 * ```ts
 * import { attemptStore } from './layer-support.js';
 * const store = attemptStore((seq, interaction) => console.log(seq, interaction));
 * ```
 */
export function attemptStore<I extends { request: Record<string, unknown>; superseded?: true }>(
  record: (seq: number, interaction: I) => void,
): (ctx: Pick<CallContext<unknown>, 'startedAt' | 'attempt'>, seq: number, interaction: I) => void {
  const open = new Map<string, I>();
  return (ctx, seq, interaction) => {
    const id = `${ctx.startedAt}|${ctx.attempt}|${JSON.stringify(interaction.request)}`;
    const replaced = open.get(id);
    if (replaced) replaced.superseded = true;
    if (open.size >= MAX_OPEN_ATTEMPTS) open.delete(open.keys().next().value as string);
    open.set(id, interaction);
    record(seq, interaction);
  };
}
