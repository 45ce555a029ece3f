/**
 * Agent runs started by 2026-era callers, which outlive the request that started them: a run that
 * needs a person's approval pauses at that tool call while the tools/call returns
 * `input_required`, and the retry (or a `tasks/update`) answers it; a task is polled with
 * `tasks/get` or watched (`notifications/tasks`). Each run belongs to the principal that started
 * it; nobody else can see, answer or cancel it. A question nobody answers within the approval
 * timeout is declined, as in 2025.
 *
 * Their state lives in the store (shared-live-runs.ts), so with `--store redis://…` any replica
 * answers for any run, and a run whose replica stops is carried on by another (docs/team-server.md).
 */
import type { CallToolResult, ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { Checkpoints } from '../run/checkpoint.js';
import type { AskUser } from '../tools/permissions/permission.js';
import type { LiveRunSpec } from './live-run-store.js';

export type { LiveRunSpec } from './live-run-store.js';

/** How long a finished run's result stays readable (a task's `ttlMs`). */
export const LIVE_RUN_TTL_MS = 60 * 60 * 1000;

export type LiveRunStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** What a run is doing now, as tasks/get and the input_required rounds show it. */
export interface LiveRunView {
  id: string;
  status: LiveRunStatus;
  statusMessage?: string;
  /** Outstanding approval questions by key (unique over the run's life). */
  questions: ReadonlyMap<string, ElicitRequestFormParams>;
  result?: CallToolResult;
  createdAt: string;
  lastUpdatedAt: string;
}

/** Where a run's progress and logs go while a request of its caller is open (on any replica; run-sinks.ts). */
export interface RoundSink {
  progress(update: { progress: number; message: string }): void;
  log(level: 'info' | 'error', data: Record<string, unknown>): void;
}

/** What executing a run gets: its signal, how to ask, how to say what it is doing, where checkpoints go. */
export interface LiveRunHooks {
  signal: AbortSignal;
  askUser: AskUser;
  setStatus: (message: string) => void;
  /** The open request's sink, if one is attached now (each input_required round attaches its own). */
  sink: () => RoundSink | undefined;
  /** With a shared store: checkpoints after each turn, and the one to carry on from when this replica took the run over. */
  checkpoints?: Checkpoints;
}

/** Runs a spec to its tool result (live-run-executor.ts); the same on the first replica and on one that takes over. */
export type ExecuteRun = (spec: LiveRunSpec, hooks: LiveRunHooks) => Promise<CallToolResult>;

export interface LiveRuns {
  /** Start the run `spec` asks for; the returned view already exists for `get` (a task exists before it is announced). Rejects once closing. */
  start(spec: LiveRunSpec): Promise<LiveRunView>;
  /** The run, if it exists and belongs to `principal`. */
  get(id: string, principal: string): Promise<LiveRunView | undefined>;
  /** Send the run's progress and logs to `sink`, wherever the run executes, until the returned function detaches it. */
  attach(id: string, sink: RoundSink): () => void;
  /**
   * Wait until the run asks something not among `answered` or ends; resolves early (with the
   * current view) when `signal` aborts; undefined when there is no such run.
   */
  settle(id: string, signal: AbortSignal, answered?: ReadonlySet<string>): Promise<LiveRunView | undefined>;
  /**
   * Hand answers to outstanding questions, wherever the run executes. Resolves the keys that were
   * open (others are ignored), or undefined when `principal` has no such run.
   */
  answer(id: string, principal: string, responses: Record<string, unknown>): Promise<ReadonlySet<string> | undefined>;
  /**
   * Cancel the run wherever it executes; the view, or undefined when there is no such run. Rejects
   * once this replica is closing (a round cut by its shutdown must not stop a run handed over).
   */
  cancel(id: string, principal: string, reason: string): Promise<LiveRunView | undefined>;
  /**
   * Call `listener` with the run's view on each change of its status (working → input_required →
   * … → completed/failed/cancelled) until the returned function detaches it; undefined when there
   * is no such run of `principal`.
   */
  watch(id: string, principal: string, listener: (view: LiveRunView) => void): Promise<(() => void) | undefined>;
  /** Drop a finished run at once (its result was delivered). */
  forget(id: string): Promise<void>;
  /**
   * Stop. `handOff`: let this replica's runs go at their last checkpoint so that other replicas
   * carry them on at once (SIGTERM with a shared store); otherwise cancel them.
   */
  close(options?: { handOff?: boolean }): Promise<void>;
  /** Runs executing on this replica now (for /readyz). */
  readonly size: number;
}

const TERMINAL: ReadonlySet<LiveRunStatus> = new Set(['completed', 'failed', 'cancelled']);

/** True once the run has ended, however it ended. */
export function isTerminal(status: LiveRunStatus): boolean {
  return TERMINAL.has(status);
}
