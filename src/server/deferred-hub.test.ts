import { describe, expect, it } from 'vitest';
import { buildListings } from './listings.js';
import { deferHub } from './deferred-hub.js';
import type { Hub } from './hub.js';
import { makeAgent } from '../../test/helpers/agent.js';

/** A loaded hub over one agent whose `change()` plays a catalog change. */
function fakeHub(): Hub & { change(): void; closed: boolean } {
  const agent = makeAgent('one');
  const listings = buildListings({ agents: [agent], byToolName: new Map([[agent.toolName, agent]]), skipped: [], warningCount: 0 }, { toolDescriptions: 'full' });
  const listeners = new Set<() => void>();
  const hub = {
    closed: false,
    listings: () => listings,
    whenLoaded: () => listings,
    attach(onChange: () => void) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    change: () => listeners.forEach((l) => l()),
    async close() {
      hub.closed = true;
    },
  };
  return hub;
}

describe('deferHub', () => {
  it('gives the lists once the catalog loads, and moves listeners attached meanwhile onto the loaded hub', async () => {
    let resolve!: (hub: Hub) => void;
    const pending = deferHub(new Promise<Hub>((r) => (resolve = r)));
    let heard = 0;
    let heardDetached = 0;
    pending.attach(() => heard++);
    const detach = pending.attach(() => heardDetached++);
    detach();
    expect(pending.isLoaded()).toBe(false);
    expect(() => pending.listings()).toThrow(/still loading/);
    const listed = pending.whenLoaded();
    const loaded = fakeHub();
    resolve(loaded);
    expect((await listed).tools.map((t) => t.name)).toEqual(['one']);
    expect(pending.isLoaded()).toBe(true);
    loaded.change();
    expect([heard, heardDetached]).toEqual([1, 0]);
    await pending.close();
    expect(loaded.closed).toBe(true);
  });

  it('fails the waiting lists with a message naming the catalog when it cannot load', async () => {
    const pending = deferHub(Promise.reject(new Error('EACCES: /agents')));
    await expect(pending.whenLoaded()).rejects.toThrow('The agent catalog could not be loaded: EACCES: /agents');
    await expect(pending.close()).resolves.toBeUndefined();
  });
});
