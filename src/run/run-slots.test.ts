import { describe, expect, it } from 'vitest';
import { createRunSlots } from './run-slots.js';

const open = (): AbortSignal => new AbortController().signal;

describe('createRunSlots', () => {
  it('lets up to max runs go at once and lines up the rest, telling each its place', async () => {
    const slots = createRunSlots(1);
    const first = await slots.acquire({ signal: open() });
    const positions: Record<string, number[]> = { b: [], c: [] };
    const second = slots.acquire({ signal: open(), onQueued: (p) => positions.b!.push(p) });
    const third = slots.acquire({ signal: open(), onQueued: (p) => positions.c!.push(p) });
    expect(positions).toEqual({ b: [1], c: [2] });
    expect(slots.waiting).toBe(2);

    first!();
    const releaseSecond = await second;
    expect(slots.running).toBe(1);
    expect(positions.c).toEqual([2, 1]);
    releaseSecond!();
    (await third)!();
    expect(slots.running).toBe(0);
  });

  it('gives the slot back only once, however often release is called', async () => {
    const slots = createRunSlots(2);
    const release = await slots.acquire({ signal: open() });
    release!();
    release!();
    expect(slots.running).toBe(0);
  });

  it('takes a caller that cancels out of line without a slot, and moves up those behind it', async () => {
    const slots = createRunSlots(1);
    const first = await slots.acquire({ signal: open() });
    const cancel = new AbortController();
    const later: number[] = [];
    const cancelled = slots.acquire({ signal: cancel.signal });
    const behind = slots.acquire({ signal: open(), onQueued: (p) => later.push(p) });
    cancel.abort();
    expect(await cancelled).toBeUndefined();
    expect(later).toEqual([2, 1]);
    first!();
    expect(await behind).toBeTypeOf('function');
    expect(await slots.acquire({ signal: AbortSignal.abort() })).toBeUndefined();
  });
});
