import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { compose } from '../../src/core/compose.js';
import { ConnectorError } from '../../src/core/errors.js';
import type { CallSignal } from '../../src/core/call-signal.js';
import type { CallContext } from '../../src/core/middleware.js';
import { attemptTimeoutLayer, totalTimeoutLayer } from '../../src/policies/timeout.js';
import { deadlineQueueStats } from '../../src/core/deadlines.js';
import { useFakeClock } from './fake-clock.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const context = (over: Partial<CallContext<string>> = {}): CallContext<string> => ({
  connector: 'svc',
  request: 'req',
  signal: undefined,
  attempt: 1,
  deadline: undefined,
  startedAt: performance.now(),
  ...over,
});

/** A terminal that resolves when its signal aborts never, and rejects with the abort reason. */
const hangs = (seen: CallSignal[]) => (ctx: CallContext<string>) =>
  new Promise<string>((_resolve, reject) => {
    if (ctx.signal) seen.push(ctx.signal);
    ctx.signal?.addEventListener('abort', () => reject(new Error('socket destroyed')));
  });

describe('total timeout', () => {
  test('aborts the signal handed down and fails with TIMEOUT after the total', async () => {
    const signals: CallSignal[] = [];
    const handler = compose([totalTimeoutLayer<string, string>(5000).middleware], hangs(signals));
    const result = handler(context()).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4999);
    expect(signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(await result).toMatchObject({ code: 'TIMEOUT', retryable: false, details: { timeoutMs: 5000 } });
  });

  test("the call's own timeout (its deadline) wins over the connector's", async () => {
    const handler = compose([totalTimeoutLayer<string, string>(60_000).middleware], hangs([]));
    const start = performance.now();
    const result = handler(context({ startedAt: start, deadline: start + 300 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(300);
    expect(await result).toMatchObject({ code: 'TIMEOUT', details: { timeoutMs: 300 } });
  });

  test('a caller abort passes through as the caller reason, and timers are cleared on success', async () => {
    const controller = new AbortController();
    const handler = compose([totalTimeoutLayer<string, string>(5000).middleware], hangs([]));
    const result = handler(context({ signal: controller.signal })).catch((e: unknown) => e);
    controller.abort(new ConnectorError('ABORTED', 'user cancelled'));
    expect(await result).toMatchObject({ code: 'ABORTED', message: 'user cancelled' });

    const before = deadlineQueueStats().pending;
    const quick = compose([totalTimeoutLayer<string, string>(5000).middleware], async () => 'done');
    expect(await quick(context())).toBe('done');
    // A finished call leaves nothing pending: at most an idle shared timer that expires on its own.
    expect(deadlineQueueStats().pending).toBe(before);
  });
});

describe('attempt timeout', () => {
  test('ends one attempt with ATTEMPT_TIMEOUT (retryable) naming the attempt', async () => {
    const handler = compose([attemptTimeoutLayer<string, string>(1000).middleware], hangs([]));
    const result = handler(context({ attempt: 2 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await result;
    expect(error).toMatchObject({ code: 'ATTEMPT_TIMEOUT', retryable: true, details: { attempt: 2, timeoutMs: 1000 } });
  });

  test('inside a total timeout, whichever ends first decides the error', async () => {
    const before = deadlineQueueStats().pending;
    const total500 = compose([totalTimeoutLayer<string, string>(500).middleware, attemptTimeoutLayer<string, string>(1000).middleware], hangs([]));
    const first = total500(context()).catch((e: unknown) => e);
    // The total ends first, so the attempt adds no deadline of its own.
    expect(deadlineQueueStats().pending).toBe(before + 1);
    await vi.advanceTimersByTimeAsync(500);
    expect(await first).toMatchObject({ code: 'TIMEOUT' });

    const total5000 = compose([totalTimeoutLayer<string, string>(5000).middleware, attemptTimeoutLayer<string, string>(1000).middleware], hangs([]));
    const second = total5000(context()).catch((e: unknown) => e);
    expect(deadlineQueueStats().pending).toBe(before + 2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await second).toMatchObject({ code: 'ATTEMPT_TIMEOUT' });
  });
});
