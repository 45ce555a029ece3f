/**
 * The agent runs under way in this process, so a shutdown can stop them all with a reason
 * the client can read in the result.
 */
import type { RunResult } from '../run/result.js';
import type { CallAgent } from './publish.js';

export interface InFlightRuns {
  /** `caller`, with every call tracked and stopped by {@link InFlightRuns.cancelAll}. */
  wrap(caller: CallAgent): CallAgent;
  /**
   * Abort every running call (and any call made later) with `reason`; their results are
   * isError results that quote it.
   */
  cancelAll(reason: string): void;
  /** How many calls are running. */
  readonly size: number;
}

/** Create an empty tracker. */
export function createInFlightRuns(): InFlightRuns {
  const stop = new AbortController();
  let reason = '';
  let running = 0;

  const explain = (result: RunResult): RunResult =>
    stop.signal.aborted && result.stopReason === 'cancelled' && result.error === undefined
      ? { ...result, error: { kind: 'cancelled', message: reason, advice: 'Call the tool again once the server is back.' } }
      : result;

  return {
    wrap(caller) {
      return (ctx) => {
        running++;
        return caller({ ...ctx, signal: AbortSignal.any([ctx.signal, stop.signal]) })
          .then(explain)
          .finally(() => running--);
      };
    },
    cancelAll(why) {
      if (stop.signal.aborted) return;
      reason = why;
      stop.abort(new Error(why));
    },
    get size() {
      return running;
    },
  };
}
