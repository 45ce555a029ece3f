import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';

/** A clock the test moves by hand, so expiry needs no waiting. */
function manualClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('createMemoryStore with an injected clock', () => {
  it('a record lives exactly its TTL', async () => {
    const clock = manualClock();
    const store = createMemoryStore({ now: clock.now });
    await store.create('runs', { id: 'r1', principal: 'alice', value: 'v', ttlMs: 1_000 });
    clock.advance(999);
    expect(await store.get('runs', 'r1')).toBeDefined();
    clock.advance(1);
    expect(await store.get('runs', 'r1')).toBeUndefined();
    expect(await store.list('runs', 'alice')).toEqual([]);
    await store.close();
  });

  it('createdAt and updatedAt come from the clock, and lists order by createdAt', async () => {
    const clock = manualClock();
    const store = createMemoryStore({ now: clock.now });
    await store.create('runs', { id: 'b-older', principal: 'alice', value: 'old', ttlMs: 60_000 });
    clock.advance(5);
    await store.create('runs', { id: 'a-newer', principal: 'alice', value: 'new', ttlMs: 60_000 });
    clock.advance(5);
    const updated = await store.update('runs', { id: 'b-older', expectedRevision: 1, value: 'old2', ttlMs: 60_000 });
    expect(updated).toMatchObject({ createdAt: 1_000_000, updatedAt: 1_000_010 });
    // Newest by creation, not by update, and not by id.
    expect((await store.list('runs', 'alice')).map((r) => r.id)).toEqual(['a-newer', 'b-older']);
    await store.close();
  });

  it('an expired lease can be taken by another, a renewed one cannot', async () => {
    const clock = manualClock();
    const store = createMemoryStore({ now: clock.now });
    const lapsing = (await store.acquireLease('run:1', 100))!;
    const renewed = (await store.acquireLease('run:2', 100))!;
    clock.advance(90);
    expect(await store.renewLease(renewed, 100)).toBe(true);
    clock.advance(10);
    expect(await store.acquireLease('run:1', 100)).toBeDefined();
    expect(await store.acquireLease('run:2', 100)).toBeUndefined();
    expect(await store.renewLease(lapsing, 100)).toBe(false);
    await store.close();
  });

  it('an expired record of one principal can be put by another', async () => {
    const clock = manualClock();
    const store = createMemoryStore({ now: clock.now });
    await store.put('runs', { id: 'r', principal: 'alice', value: 'a', ttlMs: 10 });
    clock.advance(10);
    expect(await store.put('runs', { id: 'r', principal: 'bob', value: 'b', ttlMs: 10 })).toMatchObject({ principal: 'bob', revision: 1 });
    await store.close();
  });
});

describe('createMemoryStore timers', () => {
  it('keeps no timer that would hold the process open', async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const store = createMemoryStore({ sweepIntervalMs: 10 });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout')).toHaveLength(timersBefore);
    await store.close();
  });

});
