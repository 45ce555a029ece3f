/**
 * Carrying on runs whose replica stopped. Every replica looks, every half lease, through the
 * index of unfinished runs for one whose lease nobody holds (its replica died and the lease
 * lapsed, or it shut down and released it), takes the lease, and carries the run on from its
 * last checkpoint. Taking the lease is atomic in the store, so exactly one replica carries a run on.
 */
import type { Logger } from '../log.js';
import type { RunCheckpoint } from '../run/checkpoint.js';
import { holdLease, type HeldLease } from '../store/lease-keeper.js';
import type { Store } from '../store/store.js';
import { SERVER_PRINCIPAL, type LiveRunRecord, type LiveRunStore } from './live-run-store.js';
import { isTerminal } from './live-runs.js';

export interface TakeoverOptions {
  state: LiveRunStore;
  store: Store;
  leaseMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** True when this replica runs `id` already (or is shutting down and takes nothing). */
  isHere(id: string): boolean;
  /** Carry the run on here: this replica now holds its lease. */
  carryOn(id: string, record: LiveRunRecord, lease: HeldLease, checkpoint: RunCheckpoint | undefined): void;
}

export interface Takeovers {
  /** Look now (a replica released a run). */
  nudge(): void;
  /** Look no more; resolves once a look under way is over (a run it was taking is let go again). */
  stop(): Promise<void>;
}

/** Start looking; the first look is at once (runs left by a replica that died before this one started). */
export function startTakeovers(options: TakeoverOptions): Takeovers {
  const { state, store, leaseMs, logger } = options;
  let stopped = false;
  let scanning: Promise<void> | undefined;
  let again = false;
  let warned = false;

  async function tryCarryOn(id: string): Promise<void> {
    const lease = await holdLease(store, state.lease(id), { ttlMs: leaseMs });
    if (!lease) return;
    try {
      const record = await state.records.get(id);
      if (stopped || options.isHere(id) || !record || isTerminal(record.value.status)) {
        // Ended (or expired) while its index entry stayed: tidy up.
        if (!stopped && !options.isHere(id)) await state.unfinished.delete(id);
        await lease.release();
        return;
      }
      const checkpoint = await state.checkpoints.get(id);
      if (stopped) {
        // This replica began to shut down meanwhile: let another carry the run on, at once.
        await lease.release();
        await state.control.publish({ kind: 'released', id });
        return;
      }
      options.carryOn(id, record.value, lease, checkpoint?.value);
    } catch (err) {
      await lease.release().catch(() => false);
      throw err;
    }
  }

  async function scan(): Promise<void> {
    try {
      for (const { id } of await state.unfinished.list(SERVER_PRINCIPAL)) {
        if (stopped) return;
        if (!options.isHere(id)) await tryCarryOn(id);
      }
      warned = false;
    } catch (err) {
      // The store is away: the next look tries again; say so once per outage.
      if (!warned) logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not look for runs to carry on; will retry');
      warned = true;
    }
  }

  const look = (): void => {
    if (stopped) return;
    if (scanning) {
      again = true;
      return;
    }
    scanning = scan().finally(() => {
      scanning = undefined;
      if (again) {
        again = false;
        look();
      }
    });
  };

  const timer = setInterval(look, Math.max(1, Math.floor(leaseMs / 2)));
  timer.unref();
  look();
  return {
    nudge: look,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await scanning;
    },
  };
}
