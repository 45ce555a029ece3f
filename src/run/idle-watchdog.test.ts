import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleWatchdog } from './idle-watchdog.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createIdleWatchdog', () => {
  it('does not count before the first kick', () => {
    const dog = createIdleWatchdog(new AbortController().signal, 100);
    vi.advanceTimersByTime(1_000);
    expect(dog.signal.aborted).toBe(false);
    expect(dog.fired).toBe(false);
  });

  it('fires after idleMs of silence, and each kick starts the count again', () => {
    const dog = createIdleWatchdog(new AbortController().signal, 100);
    dog.kick();
    vi.advanceTimersByTime(90);
    dog.kick();
    vi.advanceTimersByTime(90);
    expect(dog.signal.aborted).toBe(false);
    vi.advanceTimersByTime(10);
    expect(dog.signal.aborted).toBe(true);
    expect(dog.fired).toBe(true);
  });

  it('follows the parent signal without counting that as firing', () => {
    const parent = new AbortController();
    const dog = createIdleWatchdog(parent.signal, 100);
    dog.kick();
    parent.abort();
    expect(dog.signal.aborted).toBe(true);
    expect(dog.fired).toBe(false);
    expect(createIdleWatchdog(parent.signal, 100).signal.aborted).toBe(true);
  });

  it('never fires once stopped, and leaves no timer behind', () => {
    const dog = createIdleWatchdog(new AbortController().signal, 100);
    dog.kick();
    dog.stop();
    dog.kick();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(dog.signal.aborted).toBe(false);
  });
});
