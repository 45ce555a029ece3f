/**
 * What can go wrong with the store, classified by blame: a caller's bad input (StoreError),
 * an engine that cannot be reached (StoreUnavailableError: retry later), a record that belongs
 * to someone else (StoreConflictError), data that does not match its schema (StoreDataError).
 */

/** The base: bad names, TTLs or sizes, and a store used after close. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The engine could not be reached (Redis down, restarting, or too slow). The Redis engine keeps
 * reconnecting on its own; the same call made later may succeed.
 */
export class StoreUnavailableError extends StoreError {
  constructor(
    /** The store, without credentials (e.g. redis://10.0.0.5:6379/0). */
    readonly target: string,
    /** What was being done, e.g. `get runs/abc`. */
    readonly operation: string,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`the store at ${target} is unavailable (${operation}: ${why}); it reconnects on its own, so retry in a moment`, { cause });
  }
}

/** A write named a record that another principal owns. */
export class StoreConflictError extends StoreError {}

/** A stored value or message did not decode or did not match its schema (e.g. written by another version). */
export class StoreDataError extends StoreError {}
