import { vi } from 'vitest';

/** Fake timers for the clock the policies read; setImmediate stays real so I/O can run between steps. */
export function useFakeClock(now = Date.parse('2030-01-01T00:00:00Z')): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'], now });
}

/** Lets real I/O (sockets, the loopback server) make progress without moving the fake clock. */
export async function ioTurns(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Polls `condition` on real event-loop turns, never moving the fake clock; fails after `maxTurns`. */
export async function until(condition: () => boolean, what: string, maxTurns = 20_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Settles `promise` while the fake clock runs: lets I/O make progress, then moves
 * the clock `stepMs`, until the promise is done. Small steps keep a slow socket
 * from seeing a big jump (a jump straight to the next timer could be the total
 * timeout).
 */
export async function drive<T>(promise: Promise<T>, stepMs = 10, maxMs = 600_000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let elapsed = 0; elapsed <= maxMs && !done; elapsed += stepMs) {
    await ioTurns();
    if (!done) await vi.advanceTimersByTimeAsync(stepMs);
  }
  return promise;
}
