import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from './errors.js';
import { holdLease, LeaseLostError } from './lease-keeper.js';
import { createMemoryStore } from './memory-store.js';
import type { Store } from './store.js';

const TTL = 300;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A memory store on the faked clock, whose renewals can be made to fail. */
function flakyStore(): { store: Store; failRenewals(how: 'unavailable' | 'taken' | false): void } {
  const inner = createMemoryStore({ now: () => Date.now() });
  let failing: 'unavailable' | 'taken' | false = false;
  const store: Store = {
    ...inner,
    async renewLease(lease, ttlMs) {
      if (failing === 'unavailable') throw new StoreUnavailableError('redis://127.0.0.1:6379/0', `renew lease ${lease.name}`, new Error('not connected'));
      if (failing === 'taken') return false;
      return inner.renewLease(lease, ttlMs);
    },
  };
  return { store, failRenewals: (how) => void (failing = how) };
}

describe('holdLease', () => {
  it('keeps the lease long past its TTL by renewing it, and release lets another take it at once', async () => {
    const { store } = flakyStore();
    const held = (await holdLease(store, 'run:1', { ttlMs: TTL }))!;
    await vi.advanceTimersByTimeAsync(TTL * 10);
    expect(held.signal.aborted).toBe(false);
    expect(await store.acquireLease('run:1', TTL)).toBeUndefined();
    expect(await held.release()).toBe(true);
    expect(await store.acquireLease('run:1', TTL)).toBeDefined();
  });

  it('resolves undefined when another holds the lease', async () => {
    const { store } = flakyStore();
    await store.acquireLease('run:2', TTL);
    expect(await holdLease(store, 'run:2', { ttlMs: TTL })).toBeUndefined();
  });

  it('aborts its signal at the first renewal that finds another holder', async () => {
    const { store, failRenewals } = flakyStore();
    const held = (await holdLease(store, 'run:3', { ttlMs: TTL }))!;
    failRenewals('taken');
    await vi.advanceTimersByTimeAsync(TTL / 3);
    expect(held.signal.aborted).toBe(true);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    expect((held.signal.reason as Error).message).toBe('lost the lease run:3: another holder has it (it lapsed, or was taken over)');
  });

  it('rides out a store outage shorter than the TTL', async () => {
    const { store, failRenewals } = flakyStore();
    const held = (await holdLease(store, 'run:4', { ttlMs: TTL }))!;
    failRenewals('unavailable');
    await vi.advanceTimersByTimeAsync(TTL / 2);
    failRenewals(false);
    await vi.advanceTimersByTimeAsync(TTL * 3);
    expect(held.signal.aborted).toBe(false);
  });

  it('aborts once the store has been unreachable for a whole TTL, saying why', async () => {
    const { store, failRenewals } = flakyStore();
    const held = (await holdLease(store, 'run:5', { ttlMs: TTL }))!;
    failRenewals('unavailable');
    await vi.advanceTimersByTimeAsync(TTL + TTL / 3);
    expect(held.signal.aborted).toBe(true);
    expect((held.signal.reason as Error).message).toMatch(/^lost the lease run:5: not renewed for 300 ms \(the store at redis:\/\/127\.0\.0\.1:6379\/0 is unavailable/);
    expect(await held.release()).toBe(false);
  });

  it('after release it renews no more', async () => {
    const { store } = flakyStore();
    const renew = vi.spyOn(store, 'renewLease');
    const held = (await holdLease(store, 'run:6', { ttlMs: TTL }))!;
    await held.release();
    await vi.advanceTimersByTimeAsync(TTL * 3);
    expect(renew).not.toHaveBeenCalled();
  });

  it('confirm renews at once: true while held, false (and the signal aborts) once another holder has it', async () => {
    const { store, failRenewals } = flakyStore();
    const held = (await holdLease(store, 'run:7', { ttlMs: TTL }))!;
    expect(await held.confirm()).toBe(true);
    expect(held.held).toBe(true);
    failRenewals('taken');
    expect(await held.confirm()).toBe(false);
    expect(held.held).toBe(false);
    expect(held.signal.aborted).toBe(true);
  });
});
