/**
 * A bound on concurrent runs (--max-concurrent-runs): callers beyond it wait in line, first
 * come first served, and hear their place in line whenever it changes. A caller that cancels
 * while waiting leaves the line without ever taking a slot.
 */

/** See {@link createRunSlots}. */
export interface RunSlots {
  /**
   * Take a slot, waiting for one if all are taken. Resolves to the function that gives the
   * slot back (safe to call twice), or undefined when `signal` aborted before a slot was free.
   */
  acquire(options: { signal: AbortSignal; onQueued?: (position: number) => void }): Promise<(() => void) | undefined>;
  /** Runs holding a slot now. */
  readonly running: number;
  /** Callers waiting for a slot now. */
  readonly waiting: number;
}

interface Waiter {
  grant: () => void;
  onQueued?: (position: number) => void;
}

/** Create a bound of `max` concurrent runs (a positive whole number). */
export function createRunSlots(max: number): RunSlots {
  let running = 0;
  const line: Waiter[] = [];

  // Only those at or behind `from` moved up.
  const tellPositions = (from = 0): void => line.slice(from).forEach((w, i) => w.onQueued?.(from + i + 1));

  function release(): void {
    running--;
    const next = line.shift();
    if (next) {
      running++;
      next.grant();
      tellPositions();
    }
  }

  function releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  return {
    acquire({ signal, onQueued }) {
      if (signal.aborted) return Promise.resolve(undefined);
      if (running < max) {
        running++;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve) => {
        const onAbort = (): void => {
          const at = line.indexOf(waiter);
          if (at < 0) return;
          line.splice(at, 1);
          resolve(undefined);
          tellPositions(at);
        };
        const waiter: Waiter = {
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(releaser());
          },
          ...(onQueued ? { onQueued } : {}),
        };
        line.push(waiter);
        signal.addEventListener('abort', onAbort, { once: true });
        onQueued?.(line.length);
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
