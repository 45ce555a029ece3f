import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, startDeadline } from './deadline.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startDeadline', () => {
  it('aborts when the time is up and says so', () => {
    const deadline = startDeadline(new AbortController().signal, 1000);
    vi.advanceTimersByTime(999);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    deadline.clear();
  });

  it("follows the caller's cancel, which is not an expiry", () => {
    const caller = new AbortController();
    const deadline = startDeadline(caller.signal, 1000);
    caller.abort(new Error('user cancelled'));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(deadline.expired()).toBe(false);
    deadline.clear();
  });

  it('starts aborted when the caller already cancelled', () => {
    const caller = new AbortController();
    caller.abort();
    expect(startDeadline(caller.signal, undefined).signal.aborted).toBe(true);
  });

  it('leaves no timer behind once cleared, and never fires without a limit', () => {
    const deadline = startDeadline(new AbortController().signal, 1000);
    expect(vi.getTimerCount()).toBe(1);
    deadline.clear();
    expect(vi.getTimerCount()).toBe(0);
    const unlimited = startDeadline(new AbortController().signal, undefined);
    expect(vi.getTimerCount()).toBe(0);
    expect(unlimited.signal.aborted).toBe(false);
  });
});
