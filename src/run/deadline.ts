/**
 * A run's signal with its wall-clock limit folded in: aborted when the caller cancels or when
 * the limit passes, whichever comes first, and able to tell the two apart afterwards.
 */

/** See {@link startDeadline}. */
export interface Deadline {
  /** Aborted on the caller's cancel or when the time is up. */
  readonly signal: AbortSignal;
  /** True once the time limit (not the caller) aborted the signal. */
  expired(): boolean;
  /** Stop the timer and detach from the caller's signal. Call it when the run ends. */
  clear(): void;
}

/** Error given as the abort reason when the time is up. */
export class DeadlineExceededError extends Error {
  constructor(ms: number) {
    super(`The run reached its wall-clock limit of ${ms} ms.`);
    this.name = new.target.name;
  }
}

/**
 * Follow `parent`, and abort `ms` milliseconds from now. Without `ms` the signal follows
 * `parent` only. The timer is cleared by {@link Deadline.clear}, so none outlives the run.
 */
export function startDeadline(parent: AbortSignal, ms: number | undefined): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onParentAbort, { once: true });
  const timer =
    ms === undefined
      ? undefined
      : setTimeout(() => {
          if (controller.signal.aborted) return;
          expired = true;
          controller.abort(new DeadlineExceededError(ms));
        }, ms);
  return {
    signal: controller.signal,
    expired: () => expired,
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
