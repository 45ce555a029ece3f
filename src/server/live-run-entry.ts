/**
 * A live run as the replica executing it holds it: its view, the approval questions it waits on
 * (each with the function that hands the run its answer), its abort controller and its lease. The
 * store keeps a copy of the view (as a {@link LiveRunRecord}) for every other replica.
 */
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { HeldLease } from '../store/lease-keeper.js';
import type { ApprovalQuestion, AskUser, UserAnswer } from '../tools/permissions/permission.js';
import { approvalForm, readApprovalAnswer } from './ask-user.js';
import type { LiveRunRecord, LiveRunSpec } from './live-run-store.js';
import { isTerminal, type LiveRunView } from './live-runs.js';

export interface LiveRunEntry {
  readonly id: string;
  readonly spec: LiveRunSpec;
  view: LiveRunView;
  readonly questions: Map<string, { form: ElicitRequestFormParams; settle: (answer: UserAnswer) => void }>;
  questionCount: number;
  readonly controller: AbortController;
  lease?: HeldLease;
  /** Set when the run stops here without ending: handed over at shutdown, or its lease was lost. */
  letGo?: 'handed_off' | 'lease_lost';
  /** Set when the lease is lost: settles once it is taken again here (`lease` is then the new one) or the run is let go. */
  regaining?: Promise<void>;
  cancelRequested?: string;
  /** Settles once the run has stopped here and its last write is done. */
  done?: Promise<void>;
}

/** A fresh entry for `spec`, from `record` when another replica started it. */
export function newEntry(id: string, spec: LiveRunSpec, stamp: string, record?: LiveRunRecord): LiveRunEntry {
  return {
    id,
    spec,
    view: {
      id,
      status: 'working',
      ...(record ? { statusMessage: 'Carried on by another server replica after the one running it stopped.' } : {}),
      questions: new Map(),
      createdAt: record?.createdAt ?? stamp,
      lastUpdatedAt: stamp,
    },
    questions: new Map(),
    questionCount: record?.questionCount ?? 0,
    controller: new AbortController(),
    ...(record?.cancelRequested ? { cancelRequested: record.cancelRequested } : {}),
  };
}

/** Apply `change` to the entry's view; the status follows the open questions until the run ends. Returns whether the status changed. */
export function touch(entry: LiveRunEntry, change: Partial<LiveRunView>, stamp: string): boolean {
  const before = entry.view.status;
  entry.view = { ...entry.view, ...change, questions: new Map([...entry.questions].map(([k, q]) => [k, q.form])), lastUpdatedAt: stamp };
  if (!isTerminal(entry.view.status)) entry.view.status = entry.questions.size > 0 ? 'input_required' : 'working';
  return entry.view.status !== before;
}

/** The entry as the store keeps it. */
export function recordOf(entry: LiveRunEntry): LiveRunRecord {
  const { view } = entry;
  return {
    spec: entry.spec,
    status: view.status,
    ...(view.statusMessage ? { statusMessage: view.statusMessage } : {}),
    questions: Object.fromEntries(view.questions),
    questionCount: entry.questionCount,
    ...(view.result ? { result: view.result as LiveRunRecord['result'] } : {}),
    createdAt: view.createdAt,
    lastUpdatedAt: view.lastUpdatedAt,
    ...(entry.cancelRequested ? { cancelRequested: entry.cancelRequested } : {}),
  };
}

/** A stored record as tasks/get and the rounds show it. */
export function viewOf(id: string, record: LiveRunRecord): LiveRunView {
  return {
    id,
    status: record.status,
    ...(record.statusMessage ? { statusMessage: record.statusMessage } : {}),
    questions: new Map(Object.entries(record.questions) as Array<[string, ElicitRequestFormParams]>),
    ...(record.result ? { result: record.result as LiveRunView['result'] } : {}),
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
  };
}

/**
 * The run's way to ask: the question joins the open ones (the caller sees it in the next round)
 * until an answer, the run's end or the timeout settles it. Silence is never consent: an
 * unanswered question is declined, as a 2025 elicitation that times out.
 */
export function askUserFor(entry: LiveRunEntry, options: { timeoutMs: number; changed: () => void }): AskUser {
  return (question: ApprovalQuestion, signal: AbortSignal) =>
    new Promise<UserAnswer>((resolve) => {
      const key = `approval-${++entry.questionCount}`;
      let timer: NodeJS.Timeout | undefined;
      const settle = (answer: UserAnswer): void => {
        if (!entry.questions.delete(key)) return;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
        options.changed();
      };
      const onAbort = (): void => settle({ answer: 'decline', reason: 'the run was cancelled while waiting for an answer' });
      timer = setTimeout(() => settle({ answer: 'decline', reason: `no answer within ${Math.round(options.timeoutMs / 60_000)} minutes` }), options.timeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      entry.questions.set(key, { form: approvalForm(question), settle });
      options.changed();
    });
}

/** Hand `responses` to the open questions they name; returns the keys that were open. */
export function applyAnswers(entry: LiveRunEntry, responses: Record<string, unknown>): Set<string> {
  const applied = new Set<string>();
  for (const [key, response] of Object.entries(responses)) {
    const question = entry.questions.get(key);
    if (!question || typeof response !== 'object' || response === null) continue;
    const { action, content } = response as { action?: unknown; content?: unknown };
    applied.add(key);
    question.settle(readApprovalAnswer({ action, content: typeof content === 'object' && content !== null ? (content as Record<string, unknown>) : undefined }));
  }
  return applied;
}

/** Decline every open question (the run ended or stopped here). */
export function declineOpenQuestions(entry: LiveRunEntry, reason: string): void {
  for (const q of [...entry.questions.values()]) q.settle({ answer: 'decline', reason });
  entry.questions.clear();
}
