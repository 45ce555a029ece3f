/**
 * The store writes of the live runs: each run's in the order they were made, and a run's state
 * only while this replica holds its lease. A replica that lost a run to another (its lease lapsed
 * while it stalled) or let it go (released at shutdown) must not write its stale view over the
 * new holder's, nor end the run or drop its checkpoint while the other carries it on.
 */
import type { Logger } from '../log.js';
import type { LiveRunEntry } from './live-run-entry.js';

export interface RunWrites {
  /** Queue `write` after run `id`'s earlier writes. Never rejects: a failure is logged. */
  enqueue(id: string, what: string, write: () => Promise<unknown>): Promise<void>;
  /**
   * As {@link RunWrites.enqueue}, but skipped unless this replica still holds the entry's lease
   * when its turn comes; with `confirm` the store is asked first (before a run's last writes).
   */
  enqueueHeld(entry: LiveRunEntry, what: string, write: () => Promise<unknown>, options?: { confirm?: boolean }): Promise<void>;
  /** Settles once the writes queued for run `id` so far are done. */
  flushed(id: string): Promise<void>;
}

/** Create the queues; `logger` hears of writes that failed. */
export function createRunWrites(logger: Pick<Logger, 'warn'>): RunWrites {
  const writes = new Map<string, Promise<void>>();
  const enqueue = (id: string, what: string, write: () => Promise<unknown>): Promise<void> => {
    const next = (writes.get(id) ?? Promise.resolve())
      .then(write)
      .then(
        () => undefined,
        (err: unknown) => logger.warn({ run: id, err: err instanceof Error ? err.message : String(err) }, `could not keep the run's ${what} in the store`),
      );
    writes.set(id, next);
    void next.then(() => {
      if (writes.get(id) === next) writes.delete(id);
    });
    return next;
  };
  return {
    enqueue,
    enqueueHeld: (entry, what, write, options = {}) =>
      enqueue(entry.id, what, async () => {
        if (await holdsLease(entry, options.confirm === true)) await write();
      }),
    flushed: async (id) => writes.get(id),
  };
}

/** Whether this replica still holds the entry's lease; an entry without one (one process alone, or started while the store was away) always does. */
async function holdsLease(entry: LiveRunEntry, confirm: boolean): Promise<boolean> {
  if (!entry.lease) return true;
  if (confirm) await entry.lease.confirm();
  // Lost just now: learn whether it was taken again here (the store had forgotten it) or by another.
  if (entry.lease.signal.aborted) await entry.regaining;
  return entry.lease.held;
}
