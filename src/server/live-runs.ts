/**
 * Agent runs started by 2026-era callers, which outlive the request that started them: a run that
 * needs a person's approval pauses at that tool call while the tools/call returns
 * `input_required`, and the retry (or a `tasks/update`) answers it; a task is polled with
 * `tasks/get` or watched (`notifications/tasks`). Each run belongs to the principal that started it; nobody else can see, answer or
 * cancel it. A question nobody answers within the approval timeout is declined, as in 2025.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult, ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalQuestion, AskUser, UserAnswer } from '../tools/permissions/permission.js';
import { APPROVAL_TIMEOUT_MSEC, approvalForm, readApprovalAnswer } from './ask-user.js';

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

/** Where a run's progress and logs go while a request of its caller is open. */
export interface RoundSink {
  progress(update: { progress: number; message: string }): void;
  log(level: 'info' | 'error', data: Record<string, unknown>): void;
}

/** What the run function gets: its signal, how to ask, how to say what it is doing. */
export interface LiveRunHooks {
  signal: AbortSignal;
  askUser: AskUser;
  setStatus: (message: string) => void;
  /** The open request's sink, if one is attached now (each input_required round attaches its own). */
  sink: () => RoundSink | undefined;
}

export interface LiveRuns {
  /** Start `run` now; the returned view already exists for `get` (a task is created before it is announced). */
  start(options: { principal: string; run: (hooks: LiveRunHooks) => Promise<CallToolResult> }): LiveRunView;
  /** The run, if it exists and belongs to `principal`. */
  get(id: string, principal: string): LiveRunView | undefined;
  /** Send the run's progress and logs to `sink` until the returned function detaches it. */
  attach(id: string, sink: RoundSink): () => void;
  /** Wait until the run asks something or ends; resolves early (with the current view) when `signal` aborts. */
  settle(id: string, signal: AbortSignal): Promise<LiveRunView | undefined>;
  /** Hand answers to outstanding questions; unknown or answered keys are ignored. False when there is no such run. */
  answer(id: string, principal: string, responses: Record<string, unknown>): boolean;
  /** Cancel the run (its signal aborts); the view, or undefined when there is no such run. */
  cancel(id: string, principal: string, reason: string): LiveRunView | undefined;
  /**
   * Call `listener` with the run's view on each change of its status (working → input_required →
   * … → completed/failed/cancelled) until the returned function detaches it; undefined when there
   * is no such run of `principal`.
   */
  watch(id: string, principal: string, listener: (view: LiveRunView) => void): (() => void) | undefined;
  /** Drop a finished run at once (its result was delivered). */
  forget(id: string): void;
  /** Cancel every run and drop every timer (at shutdown). */
  close(): void;
  /** Runs kept now, running or waiting to be fetched (for /readyz). */
  readonly size: number;
}

interface Entry {
  principal: string;
  view: LiveRunView;
  questions: Map<string, { form: ElicitRequestFormParams; settle: (answer: UserAnswer) => void }>;
  controller: AbortController;
  waiters: Set<() => void>;
  watchers: Set<(view: LiveRunView) => void>;
  questionCount: number;
  expiry?: NodeJS.Timeout;
  sink?: RoundSink;
}

const TERMINAL: ReadonlySet<LiveRunStatus> = new Set(['completed', 'failed', 'cancelled']);

/** True once the run has ended, however it ended. */
export function isTerminal(status: LiveRunStatus): boolean {
  return TERMINAL.has(status);
}

/** Create the registry. `approvalTimeoutMs` (default {@link APPROVAL_TIMEOUT_MSEC}) bounds every pause. */
export function createLiveRuns(options: { approvalTimeoutMs?: number; ttlMs?: number; now?: () => Date } = {}): LiveRuns {
  const approvalTimeoutMs = options.approvalTimeoutMs ?? APPROVAL_TIMEOUT_MSEC;
  const ttlMs = options.ttlMs ?? LIVE_RUN_TTL_MS;
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, Entry>();

  const touch = (entry: Entry, change: Partial<LiveRunView>): void => {
    const before = entry.view.status;
    entry.view = { ...entry.view, ...change, questions: new Map([...entry.questions].map(([k, q]) => [k, q.form])), lastUpdatedAt: now().toISOString() };
    if (!isTerminal(entry.view.status)) entry.view.status = entry.questions.size > 0 ? 'input_required' : 'working';
    for (const wake of entry.waiters) wake();
    entry.waiters.clear();
    if (entry.view.status !== before) for (const listener of entry.watchers) listener(entry.view);
    if (isTerminal(entry.view.status)) entry.watchers.clear();
  };

  const end = (id: string, entry: Entry, change: Partial<LiveRunView>): void => {
    if (isTerminal(entry.view.status)) return;
    for (const q of entry.questions.values()) q.settle({ answer: 'decline', reason: 'the run ended' });
    entry.questions.clear();
    touch(entry, change);
    entry.expiry = setTimeout(() => entries.delete(id), ttlMs);
    entry.expiry.unref();
  };

  const askUserFor = (entry: Entry): AskUser => (question: ApprovalQuestion, signal: AbortSignal) =>
    new Promise<UserAnswer>((resolve) => {
      const key = `approval-${++entry.questionCount}`;
      let timer: NodeJS.Timeout | undefined;
      const settle = (answer: UserAnswer): void => {
        if (!entry.questions.delete(key)) return;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
        touch(entry, {});
      };
      const onAbort = (): void => settle({ answer: 'decline', reason: 'the run was cancelled while waiting for an answer' });
      // Silence is never consent: an unanswered question is declined, as a 2025 elicitation that times out.
      timer = setTimeout(() => settle({ answer: 'decline', reason: `no answer within ${Math.round(approvalTimeoutMs / 60_000)} minutes` }), approvalTimeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      entry.questions.set(key, { form: approvalForm(question), settle });
      touch(entry, {});
    });

  return {
    get size() {
      return entries.size;
    },
    start({ principal, run }) {
      const id = randomUUID();
      const stamp = now().toISOString();
      const entry: Entry = {
        principal,
        view: { id, status: 'working', questions: new Map(), createdAt: stamp, lastUpdatedAt: stamp },
        questions: new Map(),
        controller: new AbortController(),
        waiters: new Set(),
        watchers: new Set(),
        questionCount: 0,
      };
      entries.set(id, entry);
      const hooks: LiveRunHooks = {
        signal: entry.controller.signal,
        askUser: askUserFor(entry),
        setStatus: (message) => {
          if (!isTerminal(entry.view.status)) touch(entry, { statusMessage: message });
        },
        sink: () => entry.sink,
      };
      run(hooks).then(
        (result) => end(id, entry, { status: entry.controller.signal.aborted ? 'cancelled' : 'completed', result }),
        (err: unknown) => end(id, entry, { status: 'failed', statusMessage: err instanceof Error ? err.message : String(err) }),
      );
      return entry.view;
    },
    get(id, principal) {
      const entry = entries.get(id);
      return entry && entry.principal === principal ? entry.view : undefined;
    },
    watch(id, principal, listener) {
      const entry = entries.get(id);
      if (!entry || entry.principal !== principal) return undefined;
      entry.watchers.add(listener);
      return () => void entry.watchers.delete(listener);
    },
    attach(id, sink) {
      const entry = entries.get(id);
      if (!entry) return () => undefined;
      entry.sink = sink;
      return () => {
        if (entry.sink === sink) delete entry.sink;
      };
    },
    async settle(id, signal) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      while (!isTerminal(entry.view.status) && entry.questions.size === 0 && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            signal.removeEventListener('abort', wake);
            entry.waiters.delete(wake);
            resolve();
          };
          entry.waiters.add(wake);
          signal.addEventListener('abort', wake, { once: true });
        });
      }
      return entry.view;
    },
    answer(id, principal, responses) {
      const entry = entries.get(id);
      if (!entry || entry.principal !== principal) return false;
      for (const [key, response] of Object.entries(responses)) {
        const question = entry.questions.get(key);
        if (!question || typeof response !== 'object' || response === null) continue;
        const { action, content } = response as { action?: unknown; content?: unknown };
        question.settle(readApprovalAnswer({ action, content: typeof content === 'object' && content !== null ? (content as Record<string, unknown>) : undefined }));
      }
      return true;
    },
    cancel(id, principal, reason) {
      const entry = entries.get(id);
      if (!entry || entry.principal !== principal) return undefined;
      if (!isTerminal(entry.view.status)) {
        entry.controller.abort(new Error(reason));
        end(id, entry, { status: 'cancelled', statusMessage: reason });
      }
      return entry.view;
    },
    forget(id) {
      const entry = entries.get(id);
      if (!entry || !isTerminal(entry.view.status)) return;
      clearTimeout(entry.expiry);
      entries.delete(id);
    },
    close() {
      for (const [id, entry] of entries) {
        entry.controller.abort(new Error('The server is shutting down.'));
        end(id, entry, { status: 'cancelled', statusMessage: 'The server is shutting down.' });
        clearTimeout(entry.expiry);
      }
      entries.clear();
    },
  };
}
