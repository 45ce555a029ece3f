/**
 * A hub to serve from while the catalog is still loading, so that the handshake never waits for
 * a large folder to be parsed.
 */
import type { Hub } from './hub.js';

/** A hub whose catalog may still be loading. */
export interface PendingHub extends Hub {
  /** Resolves with the loaded hub; rejects when the catalog could not be loaded. */
  loaded: Promise<Hub>;
  isLoaded(): boolean;
}

/**
 * A hub to serve from before the catalog is loaded: the lists wait for `opening` (and fail with
 * its error), listeners attached meanwhile are moved onto the loaded hub, and `close` closes it
 * once it has loaded. At 3,000 agents a first start parses for seconds; a client's `initialize`
 * or `server/discover` is answered at once instead of waiting for that.
 */
export function deferHub(opening: Promise<Hub>): PendingHub {
  let hub: Hub | undefined;
  /** Listeners attached before the load, each with its detach on the loaded hub once there is one. */
  const early = new Map<symbol, { onChange: () => void; detach?: () => void }>();
  const loaded = opening.then(
    (h) => {
      hub = h;
      for (const entry of early.values()) entry.detach = h.attach(entry.onChange);
      return h;
    },
    (err: unknown) => {
      throw new Error(`The agent catalog could not be loaded: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    },
  );
  // Whoever serves from this hub hears the failure through `loaded` or a list request.
  loaded.catch(() => undefined);
  return {
    loaded,
    isLoaded: () => hub !== undefined,
    listings() {
      if (!hub) throw new Error('The agent catalog is still loading.');
      return hub.listings();
    },
    whenLoaded: () => (hub ? hub.listings() : loaded.then((h) => h.listings())),
    attach(onChange) {
      if (hub) return hub.attach(onChange);
      const key = Symbol('listener');
      early.set(key, { onChange });
      return () => {
        early.get(key)?.detach?.();
        early.delete(key);
      };
    },
    async close() {
      const h = await loaded.catch(() => undefined);
      early.clear();
      await h?.close();
    },
  };
}
