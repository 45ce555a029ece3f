import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChannel } from './channel.js';
import type { StoreDataError } from './errors.js';
import { createMemoryStore } from './memory-store.js';

const CancelSchema = z.object({ runId: z.string(), reason: z.string() });

describe('createChannel', () => {
  it('delivers typed messages and drops, with a report, those that are not JSON or do not match', async () => {
    const store = createMemoryStore();
    const invalid: StoreDataError[] = [];
    const cancels = createChannel(store, { name: 'cancel', schema: CancelSchema, onInvalid: (e) => invalid.push(e) });
    const received: Array<z.infer<typeof CancelSchema>> = [];
    let last!: () => void;
    const lastArrived = new Promise<void>((resolve) => (last = resolve));
    await cancels.subscribe((m) => {
      received.push(m);
      if (m.runId === 'r2') last();
    });
    await cancels.publish({ runId: 'r1', reason: 'client cancelled' });
    await store.publish('cancel', 'not json');
    await store.publish('cancel', JSON.stringify({ runId: 7 }));
    await cancels.publish({ runId: 'r2', reason: 'shutdown' });
    await lastArrived;
    expect(received).toEqual([
      { runId: 'r1', reason: 'client cancelled' },
      { runId: 'r2', reason: 'shutdown' },
    ]);
    expect(invalid.map((e) => e.message)).toEqual([
      expect.stringContaining('a message on cancel is not JSON'),
      expect.stringContaining('a message on cancel does not match its schema'),
    ]);
    await store.close();
  });

  it('refuses a channel name it cannot use, when created', () => {
    expect(() => createChannel(createMemoryStore(), { name: 'has space', schema: CancelSchema, onInvalid: () => {} })).toThrow(/channel/);
  });
});
