/**
 * Per-run state for tools: a typed slot per kind of state, created on first use, and cleanup
 * that runs once when the run ends (however it ends), so nothing a run started outlives it.
 */

/** A kind of per-run state: its name (for errors) and how to make a fresh one. */
export interface RunScopeKey<T> {
  readonly name: string;
  /** Called once per run, on first use. `scope` lets the state register its own cleanup. */
  create(scope: RunScope): T;
}

/** What tools see of a run's scope. */
export interface RunScope {
  /** The run's value for `key`, created on first use. */
  get<T>(key: RunScopeKey<T>): T;
  /** Register cleanup for when the run ends. Registered after the end, it runs at once. */
  onEnd(cleanup: () => void | Promise<void>): void;
}

/** A scope plus the call that ends it; only the loop holds this. */
export interface OwnedRunScope extends RunScope {
  /** Run every cleanup (newest first), each once; failures are collected, never thrown. */
  end(): Promise<unknown[]>;
}

/** Create a run's scope. */
export function createRunScope(): OwnedRunScope {
  const values = new Map<RunScopeKey<unknown>, unknown>();
  const cleanups: Array<() => void | Promise<void>> = [];
  let ended = false;
  const scope: OwnedRunScope = {
    get<T>(key: RunScopeKey<T>): T {
      if (values.has(key)) return values.get(key) as T;
      const value = key.create(scope);
      values.set(key, value);
      return value;
    },
    onEnd(cleanup) {
      if (ended) void Promise.resolve().then(cleanup).catch(() => undefined);
      else cleanups.push(cleanup);
    },
    async end() {
      if (ended) return [];
      ended = true;
      const failures: unknown[] = [];
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (err) {
          failures.push(err);
        }
      }
      return failures;
    },
  };
  return scope;
}

/** Error for a tool that needs per-run state but was called without a scope. */
export class MissingRunScopeError extends Error {
  constructor(toolName: string) {
    super(`${toolName} keeps per-run state and needs a run scope (ToolContext.scope); the caller provided none`);
    this.name = new.target.name;
  }
}

/** The scope of `ctx`, or a {@link MissingRunScopeError} naming the tool. */
export function requireScope(ctx: { scope?: RunScope | undefined }, toolName: string): RunScope {
  if (ctx.scope === undefined) throw new MissingRunScopeError(toolName);
  return ctx.scope;
}
