/**
 * Holding a lease for as long as some work runs (a replica executing a run): renew it well before
 * it lapses, and say at once when it is lost, so the work stops before another replica, which
 * may now have taken it over, does the same work twice.
 */
import type { Lease, Store } from './store.js';

/** Options for {@link holdLease}. */
export interface HoldLeaseOptions {
  /** The lease lapses this long after the last successful renewal. */
  ttlMs: number;
  /** Default a third of `ttlMs`, so two renewals can fail (a Redis blip) before it lapses. */
  renewEveryMs?: number;
  /** The clock renewals are measured on; default `Date.now`. */
  now?: () => number;
}

/** A lease being kept. */
export interface HeldLease {
  readonly lease: Lease;
  /** Aborted when the lease is lost (taken over, or unrenewable past its TTL); the reason says which. */
  readonly signal: AbortSignal;
  /** True until the lease is lost or released. */
  readonly held: boolean;
  /**
   * Renew now, to learn before a last write whether the lease is still this holder's: false (and
   * `signal` aborts) when another has it. A store that cannot be reached counts as held until the TTL.
   */
  confirm(): Promise<boolean>;
  /** Stop renewing and give the lease up so another can take it at once. Resolves whether it was still held. */
  release(): Promise<boolean>;
}

/** The lease was lost: the work it guarded must stop. */
export class LeaseLostError extends Error {
  constructor(
    readonly leaseName: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`lost the lease ${leaseName}: ${reason}`, options);
    this.name = new.target.name;
  }
}

/**
 * Acquire `name` and keep renewing it. Resolves undefined when another holder has it. The renewal
 * timer never keeps the process alive. A renewal that fails with an error (the store is away) is
 * retried on the next tick; once `ttlMs` has passed since the last success the lease is
 * presumed lapsed and `signal` aborts, as it does at once when a renewal finds another holder.
 */
export async function holdLease(store: Store, name: string, options: HoldLeaseOptions): Promise<HeldLease | undefined> {
  const { ttlMs } = options;
  const now = options.now ?? Date.now;
  const lease = await store.acquireLease(name, ttlMs);
  if (lease === undefined) return undefined;
  const controller = new AbortController();
  let renewedAt = now();
  let stopped = false;
  let renewing: Promise<void> = Promise.resolve();

  const lose = (reason: string, cause?: unknown): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    controller.abort(new LeaseLostError(name, reason, { cause }));
  };

  const renew = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (await store.renewLease(lease, ttlMs)) renewedAt = now();
      else lose('another holder has it (it lapsed, or was taken over)');
    } catch (error) {
      if (now() - renewedAt >= ttlMs) lose(`not renewed for ${ttlMs} ms (${error instanceof Error ? error.message : String(error)})`, error);
    }
  };

  const timer = setInterval(() => {
    renewing = renewing.then(renew);
  }, options.renewEveryMs ?? Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();

  return {
    lease,
    signal: controller.signal,
    get held() {
      return !stopped;
    },
    async confirm() {
      renewing = renewing.then(renew);
      await renewing;
      return !stopped;
    },
    async release() {
      const wasHeld = !stopped;
      stopped = true;
      clearInterval(timer);
      await renewing;
      return wasHeld && (await store.releaseLease(lease));
    },
  };
}
