/**
 * A timer that aborts a request when it has gone silent. The Anthropic SDK's `timeout` only
 * covers the wait for the response headers; a stream that starts and then stops sending
 * would otherwise hold a run (and the client's tools/call) open forever.
 */

/** See {@link createIdleWatchdog}. */
export interface IdleWatchdog {
  /** Aborted when `parent` aborts or the watchdog fires. Hand it to the request. */
  readonly signal: AbortSignal;
  /** Start counting, or start again: something arrived. */
  kick(): void;
  /** Stop counting for good (the request ended). Idempotent. */
  stop(): void;
  /** True once the watchdog itself fired (as opposed to `parent` aborting). */
  readonly fired: boolean;
}

/**
 * Create a watchdog that aborts its signal when `idleMs` pass without a {@link IdleWatchdog.kick}
 * after the first one. It does not count until the first kick, so the caller decides when
 * silence starts to matter (for a stream: once the response has begun).
 */
export function createIdleWatchdog(parent: AbortSignal, idleMs: number): IdleWatchdog {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let fired = false;
  let stopped = false;
  const onParentAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onParentAbort, { once: true });
  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    parent.removeEventListener('abort', onParentAbort);
  };
  return {
    signal: controller.signal,
    kick() {
      if (stopped) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        fired = true;
        stop();
        controller.abort(new Error(`no data for ${idleMs} ms`));
      }, idleMs);
    },
    stop,
    get fired() {
      return fired;
    },
  };
}
