/**
 * Who waits on a live run in this process, whichever replica executes it: rounds and pollers
 * that wait for its next change (`settle`), and task subscribers that hear each change of its
 * status (`watch`). A change is announced locally by the executor and, from other replicas, on
 * the store's change channel; waiting never relies on the announcement alone (see `next`).
 */
import { isTerminal, type LiveRunView } from './live-runs.js';

export interface RunWaiters {
  /** A change of run `id`; `view` when the caller knows it without a read. */
  wake(id: string, view?: LiveRunView): void;
  /**
   * Resolve at the next change of `id`, when `signal` aborts, or after `fallbackMs` (a change
   * announced while the store was away is then read anyway). Call `arm` before reading the run,
   * then await the promise, so that a change between the read and the wait is not missed.
   */
  arm(id: string, signal: AbortSignal, fallbackMs: number): { next: Promise<void>; disarm: () => void };
  /** Call `listener` on each status change of `id` after `current`, until the returned function detaches it. */
  watch(id: string, current: LiveRunView, listener: (view: LiveRunView) => void): () => void;
}

/** `read` gives a run's view when a change arrives without one. */
export function createRunWaiters(read: (id: string) => Promise<LiveRunView | undefined>): RunWaiters {
  const waiters = new Map<string, Set<() => void>>();
  const watchers = new Map<string, Set<{ listener: (view: LiveRunView) => void; last: string }>>();
  return {
    wake(id, view) {
      for (const w of waiters.get(id) ?? []) w();
      waiters.delete(id);
      const list = watchers.get(id);
      if (!list) return;
      void (async () => {
        const current = view ?? (await read(id).catch(() => undefined));
        if (!current) return;
        for (const w of list) {
          if (w.last === current.status) continue;
          w.last = current.status;
          w.listener(current);
        }
        if (isTerminal(current.status)) watchers.delete(id);
      })();
    },
    arm(id, signal, fallbackMs) {
      let wakeUp: () => void = () => undefined;
      const next = new Promise<void>((resolve) => (wakeUp = resolve));
      waiters.set(id, (waiters.get(id) ?? new Set()).add(wakeUp));
      signal.addEventListener('abort', wakeUp, { once: true });
      const fallback = setTimeout(wakeUp, fallbackMs);
      return {
        next,
        disarm() {
          clearTimeout(fallback);
          signal.removeEventListener('abort', wakeUp);
          waiters.get(id)?.delete(wakeUp);
        },
      };
    },
    watch(id, current, listener) {
      const watcher = { listener, last: current.status };
      watchers.set(id, (watchers.get(id) ?? new Set()).add(watcher));
      return () => void watchers.get(id)?.delete(watcher);
    },
  };
}
