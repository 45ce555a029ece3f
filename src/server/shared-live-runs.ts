/**
 * {@link LiveRuns} on the store. The replica that starts a run executes it, holding the run's lease;
 * it writes the run's record on every change and a checkpoint after every turn, and publishes
 * each change. Any replica answers get/settle/watch from the record, and sends answers and cancels
 * over the control channel to whichever replica executes the run. A run whose lease lapses (its
 * replica died) or is released (its replica shut down) is carried on by another (run-takeover.ts).
 * With the memory store (one process) the same code runs, without anyone to take over.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { NO_REDACTION, type Redactor } from '../redact.js';
import type { RunCheckpoint } from '../run/checkpoint.js';
import { holdLease } from '../store/lease-keeper.js';
import type { Store } from '../store/store.js';
import { APPROVAL_TIMEOUT_MSEC } from './ask-user.js';
import { applyAnswers, askUserFor, declineOpenQuestions, newEntry, recordOf, touch, viewOf, type LiveRunEntry } from './live-run-entry.js';
import { openLiveRunStore, SERVER_PRINCIPAL, type LiveRunRecord, type RunControl } from './live-run-store.js';
import { isTerminal, LIVE_RUN_TTL_MS, type ExecuteRun, type LiveRuns, type LiveRunView } from './live-runs.js';
import { startTakeovers, type Takeovers } from './run-takeover.js';
import { createRunWaiters } from './run-waiters.js';
import { createRunSinks } from './run-sinks.js';
import { createRunWrites } from './run-writes.js';
import { DEFAULT_RUN_LEASE_MS } from './run-lease.js';

/** Index entries of unfinished runs outlive the longest run (deleted when it ends). */
const UNFINISHED_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Longest wait at shutdown for this replica's runs to stop and write their last state. */
const DEFAULT_STOP_WAIT_MS = 5_000;

export interface SharedLiveRunsOptions {
  store: Store;
  execute: ExecuteRun;
  logger: Logger;
  /** Replicas share the store: leases, checkpoints, every change, carrying on. Else only start and end are written. */
  shared: boolean;
  leaseMs?: number;
  approvalTimeoutMs?: number;
  ttlMs?: number;
  now?: () => Date;
  /** Masks the server's secrets in what goes to the store (records, checkpoints). */
  redactor?: Redactor;
  /** Longest wait at close for this replica's runs to stop (default 5 s); then their leases are let go anyway. */
  stopWaitMs?: number;
}

/** Create the live runs and subscribe to the store's channels. */
export async function createSharedLiveRuns(options: SharedLiveRunsOptions): Promise<LiveRuns> {
  const { store, execute, logger } = options;
  const redactor = options.redactor ?? NO_REDACTION;
  const leaseMs = options.leaseMs ?? DEFAULT_RUN_LEASE_MS;
  const approvalTimeoutMs = options.approvalTimeoutMs ?? APPROVAL_TIMEOUT_MSEC;
  const now = options.now ?? (() => new Date());
  const stamp = (): string => now().toISOString();
  const state = openLiveRunStore(store, { recordTtlMs: options.ttlMs ?? LIVE_RUN_TTL_MS, unfinishedTtlMs: UNFINISHED_TTL_MS, logger });
  const entries = new Map<string, LiveRunEntry>();
  const waiters = createRunWaiters((id) => readAny(id));
  const writes = createRunWrites(logger);
  let closing = false;
  let takeovers: Takeovers | undefined;

  /** Record the entry's view in the store and tell every replica. */
  const persist = (entry: LiveRunEntry): Promise<void> =>
    writes.enqueueHeld(
      entry,
      'state',
      async () => {
        await state.records.put(entry.id, entry.spec.principal, redactor.deep(recordOf(entry)));
        await state.changed.publish({ id: entry.id });
      },
      // The last state: make sure no other replica has taken the run over meanwhile.
      { confirm: isTerminal(entry.view.status) },
    );

  const changed = (entry: LiveRunEntry, change: Partial<LiveRunView> = {}): void => {
    touch(entry, change, stamp());
    waiters.wake(entry.id, entry.view);
    if (options.shared || isTerminal(entry.view.status)) void persist(entry);
  };

  async function readAny(id: string): Promise<LiveRunView | undefined> {
    const entry = entries.get(id);
    if (entry) return entry.view;
    const record = await state.records.get(id);
    return record && viewOf(id, record.value);
  }

  /** The run has ended here: its last state is kept, its lease and index entry let go. */
  async function end(entry: LiveRunEntry, change: Partial<LiveRunView>): Promise<void> {
    if (isTerminal(entry.view.status)) return;
    declineOpenQuestions(entry, 'the run ended');
    changed(entry, change);
    await writes.flushed(entry.id);
    if (options.shared) await writes.enqueueHeld(entry, 'end', () => Promise.all([state.unfinished.delete(entry.id), state.checkpoints.delete(entry.id)]));
    // Gone from here first: a lease taken again after this (regainLease) is then let go, not kept.
    entries.delete(entry.id);
    await entry.lease?.release().catch(() => false);
  }

  /** A lost lease is taken again if free (Redis restarted empty); else another replica has the run: stop here. */
  function watchLease(entry: LiveRunEntry): void {
    entry.lease?.signal.addEventListener('abort', () => void (entry.regaining = regainLease(entry)));
  }

  async function regainLease(entry: LiveRunEntry): Promise<void> {
    const again = entry.letGo ? undefined : await holdLease(store, state.lease(entry.id), { ttlMs: leaseMs }).catch(() => undefined);
    if (again && !entry.letGo && entries.get(entry.id) === entry) {
      entry.lease = again;
      watchLease(entry);
      // An ended run's last writes go on with this lease, which its end then lets go.
      if (isTerminal(entry.view.status)) return;
      logger.warn({ run: entry.id }, 'the store had forgotten this run (restarted empty?); it goes on here and is written again');
      void persist(entry);
      void writes.enqueueHeld(entry, 'index entry', () => state.unfinished.put(entry.id, SERVER_PRINCIPAL, {}));
      return;
    }
    await again?.release().catch(() => false);
    entry.letGo ??= 'lease_lost';
    entry.controller.abort(new Error('this replica lost the run to another'));
  }

  /** Execute the entry's run here, from `from` when carrying it on. */
  function begin(entry: LiveRunEntry, from?: RunCheckpoint): void {
    entries.set(entry.id, entry);
    watchLease(entry);
    const { signal } = entry.controller;
    const hooks = {
      signal,
      askUser: askUserFor(entry, { timeoutMs: approvalTimeoutMs, changed: () => changed(entry) }),
      setStatus: (message: string) => {
        if (!isTerminal(entry.view.status)) changed(entry, { statusMessage: message });
      },
      sink: () => sinks.sinkFor(entry.id),
      // One process alone keeps no checkpoints: nobody could carry its runs on.
      ...(options.shared ? { checkpoints: { ...(from ? { from } : {}), save: (cp: RunCheckpoint) => writes.enqueueHeld(entry, 'checkpoint', () => state.checkpoints.put(entry.id, entry.spec.principal, redactor.deep(cp))) } } : {}),
    };
    entry.done = execute(entry.spec, hooks)
      .then(
        (result) => ({ status: signal.aborted ? ('cancelled' as const) : ('completed' as const), result }),
        (err: unknown) => ({ status: 'failed' as const, statusMessage: err instanceof Error ? err.message : String(err) }),
      )
      .then(async (change) => {
        if (entry.letGo) {
          // Another replica carries it on from its last checkpoint: nothing here may end it.
          declineOpenQuestions(entry, 'the run moved to another replica');
          await writes.flushed(entry.id);
          entries.delete(entry.id);
          return;
        }
        await end(entry, change);
      });
  }

  function cancelHere(entry: LiveRunEntry, reason: string): void {
    if (isTerminal(entry.view.status)) return;
    entry.controller.abort(new Error(reason));
    void end(entry, { status: 'cancelled', statusMessage: reason });
  }

  const onControl = (message: RunControl): void => {
    const entry = entries.get(message.id);
    if (message.kind === 'released') takeovers?.nudge();
    else if (!entry) return;
    else if (message.kind === 'answer') applyAnswers(entry, message.responses);
    else cancelHere(entry, message.reason);
  };

  const subscriptions = await Promise.all([state.control.subscribe(onControl), state.changed.subscribe(({ id }) => waiters.wake(id))]);
  const sinks = await createRunSinks({ store, shared: options.shared, onInvalid: (err) => logger.warn({ err: err.message }, 'ignored a relayed run report') });
  takeovers = options.shared
    ? startTakeovers({
        state,
        store,
        leaseMs,
        logger,
        isHere: (id) => entries.has(id) || closing,
        carryOn: (id, record: LiveRunRecord, lease, checkpoint) => {
          const entry = newEntry(id, record.spec, stamp(), record);
          entry.lease = lease;
          entries.set(id, entry);
          if (entry.cancelRequested) return void end(entry, { status: 'cancelled', statusMessage: entry.cancelRequested });
          logger.info({ run: id, principal: record.spec.principal, from_turn: checkpoint?.turns ?? 0 }, 'carrying on a run whose replica stopped');
          changed(entry);
          begin(entry, checkpoint);
        },
      })
    : undefined;

  const live: LiveRuns = {
    get size() {
      return entries.size;
    },
    async start(spec) {
      // Its runs are being handed over: a run started now would be cancelled by the final close.
      if (closing) throw new Error('this server replica is shutting down; call again and another replica will take it');
      const id = randomUUID();
      const entry = newEntry(id, spec, stamp());
      try {
        if (options.shared) entry.lease = await holdLease(store, state.lease(id), { ttlMs: leaseMs });
        // The task exists for every replica before anyone hears of it.
        await state.records.create(id, spec.principal, redactor.deep(recordOf(entry)));
        if (options.shared) await state.unfinished.put(id, SERVER_PRINCIPAL, {});
      } catch (err) {
        // The store is away: the call runs here alone; its state is written when the store is back.
        logger.warn({ run: id, err: err instanceof Error ? err.message : String(err) }, 'the store is unreachable: this run goes on on this replica only');
      }
      begin(entry);
      return entry.view;
    },
    async get(id, principal) {
      const entry = entries.get(id);
      if (entry) return entry.spec.principal === principal ? entry.view : undefined;
      const record = await state.records.getOwned(id, principal);
      return record && viewOf(id, record.value);
    },
    attach: (id, sink) => sinks.attach(id, sink),
    async settle(id, signal, answered) {
      const settled = (view: LiveRunView): boolean =>
        isTerminal(view.status) || (view.questions.size > 0 && ![...view.questions.keys()].some((key) => answered?.has(key)));
      for (;;) {
        const { next, disarm } = waiters.arm(id, signal, leaseMs);
        try {
          const view = await readAny(id);
          if (!view || settled(view) || signal.aborted) return view;
          await next;
        } finally {
          disarm();
        }
      }
    },
    async answer(id, principal, responses) {
      const entry = entries.get(id);
      if (entry) return entry.spec.principal === principal ? applyAnswers(entry, responses) : undefined;
      const record = await state.records.getOwned(id, principal);
      if (!record) return undefined;
      const open = Object.fromEntries(Object.entries(responses).filter(([key]) => key in record.value.questions));
      if (Object.keys(open).length > 0) await state.control.publish({ kind: 'answer', id, responses: open });
      return new Set(Object.keys(open));
    },
    async cancel(id, principal, reason) {
      // What reaches a closing replica is a round its own shutdown cut, not a caller's cancel: the run goes on elsewhere.
      if (closing) throw new Error('this server replica is shutting down; send the cancel again and another replica will take it');
      const entry = entries.get(id);
      if (entry) {
        if (entry.spec.principal !== principal) return undefined;
        cancelHere(entry, reason);
        return entry.view;
      }
      const record = await state.records.getOwned(id, principal);
      if (!record) return undefined;
      if (!isTerminal(record.value.status)) {
        await state.control.publish({ kind: 'cancel', id, reason });
        // Should no replica be running it just now, whoever carries it on ends it instead.
        await state.records.update(record, (value) => ({ ...value, cancelRequested: reason })).catch(() => undefined);
      }
      return viewOf(id, record.value);
    },
    async watch(id, principal, listener) {
      const view = await live.get(id, principal);
      return view && waiters.watch(id, view, listener);
    },
    async forget(id) {
      const entry = entries.get(id);
      if (entry && !isTerminal(entry.view.status)) return;
      await writes.enqueue(id, 'removal', () => state.records.delete(id));
    },
    async close({ handOff = false } = {}) {
      closing = true;
      await takeovers?.stop();
      const running = [...entries.values()];
      for (const entry of running) {
        if (handOff) {
          entry.letGo = 'handed_off';
          entry.controller.abort(new Error('the server replica is shutting down; another carries the run on'));
        } else cancelHere(entry, 'The server is shutting down.');
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(running.map((e) => e.done)), new Promise((resolve) => (timer = setTimeout(resolve, options.stopWaitMs ?? DEFAULT_STOP_WAIT_MS)))]);
      clearTimeout(timer);
      if (handOff) {
        for (const entry of running) {
          await entry.lease?.release().catch(() => false);
          await state.control.publish({ kind: 'released', id: entry.id }).catch(() => undefined);
        }
        if (running.length > 0) logger.info({ runs: running.length }, 'handed this replica\'s runs over to the others');
      }
      await Promise.allSettled([...subscriptions.map((s) => s.unsubscribe()), sinks.close()]);
    },
  };
  return live;
}
