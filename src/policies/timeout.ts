import { CancelSignal, type CallSignal } from '../core/call-signal.js';
import type { ChainLayer } from '../core/chain.js';
import { scheduleDeadline } from '../core/deadlines.js';
import { ConnectorError } from '../core/errors.js';
import type { CallContext, Next } from '../core/middleware.js';
import { TimeoutGuard, type TimeoutReason } from './timeout-guard.js';

/**
 * A signal that aborts after `ms` with `reason()`, or when `parent` aborts, plus the
 * function that cancels the deadline and unlinks the parent. It is a {@link CancelSignal}
 * on a shared deadline queue, so a call pays for neither an `AbortSignal` nor a timer
 * of its own; pass it through {@link toAbortSignal} where a real `AbortSignal` is needed.
 *
 * @example
 * ```ts
 * import { timeoutSignal, toAbortSignal, ConnectorError } from 'ia-connectors';
 * const t = timeoutSignal(1000, undefined, () => new ConnectorError('TIMEOUT', 'took too long'));
 * try { await fetch('http://127.0.0.1:8080', { signal: toAbortSignal(t.signal) }); } finally { t.clear(); }
 * ```
 */
export function timeoutSignal(
  ms: number,
  parent: CallSignal | undefined,
  reason: () => ConnectorError,
): { signal: CancelSignal; clear: () => void } {
  const signal = new CancelSignal();
  if (parent?.aborted) {
    signal.abort(parent.reason);
    return { signal, clear: noop };
  }
  const deadline = scheduleDeadline(ms, () => signal.abort(reason()));
  if (!parent) return { signal, clear: () => deadline.cancel() };
  const onAbort = (): void => signal.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal,
    clear: () => {
      deadline.cancel();
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * The outermost layer: bounds the whole call, all attempts and waits included, by the
 * call's own `timeout` or else `totalMs`. Raises `TIMEOUT`.
 *
 * @example
 * ```ts
 * import { totalTimeoutLayer } from 'ia-connectors';
 * const layer = totalTimeoutLayer(30_000);
 * ```
 */
export function totalTimeoutLayer<Req, Res>(totalMs: number | undefined): ChainLayer<Req, Res> {
  return {
    name: 'totalTimeout',
    middleware: (ctx: CallContext<Req>, next: Next<Req, Res>) => {
      const ms = ctx.deadline !== undefined ? ctx.deadline - ctx.startedAt : totalMs;
      if (ms === undefined) return next();
      return guarded(ctx, next, ms, ctx.startedAt + ms, totalReason);
    },
  };
}

/**
 * The innermost layer: bounds one attempt, so a retry can follow a slow attempt.
 * Raises `ATTEMPT_TIMEOUT` (retryable). When the call's deadline is nearer than
 * `attemptMs`, the attempt costs no timer: the total timeout ends it.
 *
 * @example
 * ```ts
 * import { attemptTimeoutLayer } from 'ia-connectors';
 * const layer = attemptTimeoutLayer(5_000);
 * ```
 */
export function attemptTimeoutLayer<Req, Res>(attemptMs: number): ChainLayer<Req, Res> {
  return {
    name: 'attemptTimeout',
    middleware: (ctx: CallContext<Req>, next: Next<Req, Res>) => {
      // The whole call ends first anyway: its timer decides, and this attempt needs none of its own.
      if (ctx.deadline !== undefined && ctx.deadline - performance.now() <= attemptMs) return next();
      return guarded(ctx, next, attemptMs, ctx.deadline, attemptReason);
    },
  };
}

function totalReason(ctx: CallContext<unknown>, ms: number): ConnectorError {
  return new ConnectorError('TIMEOUT', `call through connector "${ctx.connector}" took longer than its total timeout of ${ms} ms; raise timeout.total or the call's timeout`, {
    details: { connector: ctx.connector, timeoutMs: ms },
  });
}

function attemptReason(ctx: CallContext<unknown>, ms: number): ConnectorError {
  return new ConnectorError('ATTEMPT_TIMEOUT', `attempt ${ctx.attempt} through connector "${ctx.connector}" took longer than timeout.attempt (${ms} ms)`, {
    details: { connector: ctx.connector, timeoutMs: ms, attempt: ctx.attempt },
  });
}

/**
 * Runs the rest of the chain under a {@link TimeoutGuard}. No async frame: the guard
 * and one pair of callbacks are all a call keeps alive across its I/O.
 */
function guarded<Req, Res>(ctx: CallContext<Req>, next: Next<Req, Res>, ms: number, deadline: number | undefined, reason: TimeoutReason): Promise<Res> {
  const guard = new TimeoutGuard(ctx, ms, reason);
  let pending: Promise<Res>;
  try {
    pending = Promise.resolve(next({ ...ctx, signal: guard, deadline }));
  } catch (error) {
    pending = Promise.reject(error);
  }
  return pending.then(
    (value) => {
      guard.clear();
      return value;
    },
    (error: unknown) => {
      guard.clear();
      // A transport may surface the abort as its own error; the timeout's reason is the truth.
      throw guard.failure(error);
    },
  );
}

function noop(): void {}
