import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelSignal, deadlineQueueStats, scheduleDeadline, toAbortSignal } from '../../src/index.js';

describe('scheduleDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires at the deadline, not before', () => {
    const fired = vi.fn();
    scheduleDeadline(100, fired);
    vi.advanceTimersByTime(99);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('never fires a cancelled deadline, and shares one timer between equal durations', () => {
    const fired: number[] = [];
    const handles = Array.from({ length: 1000 }, (_, i) => {
      if (i % 100 === 0) vi.advanceTimersByTime(1);
      return scheduleDeadline(500, () => fired.push(i));
    });
    expect(vi.getTimerCount()).toBe(1);
    handles.forEach((h, i) => i % 2 === 0 && h.cancel());
    vi.advanceTimersByTime(500);
    expect(fired.length).toBeGreaterThan(0);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(Array.from({ length: 500 }, (_, i) => i * 2 + 1));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires each entry at its own time after earlier heads were cancelled', () => {
    const fired: string[] = [];
    const a = scheduleDeadline(100, () => fired.push('a'));
    vi.advanceTimersByTime(50);
    scheduleDeadline(100, () => fired.push('b'));
    a.cancel();
    vi.advanceTimersByTime(60);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(['b']);
  });

  it('keeps different durations independent', () => {
    const fired: string[] = [];
    scheduleDeadline(300, () => fired.push('slow'));
    scheduleDeadline(100, () => fired.push('fast'));
    vi.advanceTimersByTime(300);
    expect(fired).toEqual(['fast', 'slow']);
  });

  it('keeps at most one idle timer after cancelled work, which fires nothing and then goes', () => {
    const fired = vi.fn();
    for (let i = 0; i < 100; i++) scheduleDeadline(1000, fired).cancel();
    expect(vi.getTimerCount()).toBe(1);
    expect(deadlineQueueStats()).toMatchObject({ queues: 1, pending: 0 });
    vi.advanceTimersByTime(1000);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(deadlineQueueStats()).toEqual({ queues: 0, pending: 0, entries: 0 });
  });
});

describe('CancelSignal', () => {
  it('aborts once, calls listeners, and works where an AbortSignal is needed', async () => {
    const signal = new CancelSignal();
    const seen: unknown[] = [];
    const removed = (): number => seen.push('removed');
    signal.addEventListener('abort', () => seen.push(signal.reason));
    signal.addEventListener('abort', removed);
    signal.removeEventListener('abort', removed);
    const real = toAbortSignal(signal);
    signal.abort('first');
    signal.abort('second');
    expect(seen).toEqual(['first']);
    expect(real.aborted).toBe(true);
    expect(real.reason).toBe('first');
    expect(() => signal.throwIfAborted()).toThrow();
    const native = new AbortController().signal;
    expect(toAbortSignal(native)).toBe(native);
  });
});

describe('scheduleDeadline under a long-running call', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps finished entries queued behind a live one, so memory stays bounded', () => {
    const long = vi.fn();
    const head = scheduleDeadline(60_000, long);
    for (let i = 0; i < 200_000; i++) scheduleDeadline(60_000, () => undefined).cancel();
    expect(deadlineQueueStats().entries).toBeLessThan(3000);
    expect(deadlineQueueStats().pending).toBe(1);
    const late = vi.fn();
    scheduleDeadline(60_000, late);
    vi.advanceTimersByTime(60_000);
    expect(long).toHaveBeenCalledOnce();
    expect(late).toHaveBeenCalledOnce();
    head.cancel();
  });
});
