import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApprovalQuestion, UserAnswer } from '../tools/permissions/permission.js';
import { createLiveRuns } from './live-runs.js';

const QUESTION: ApprovalQuestion = { request: { kind: 'edit', tool: 'Edit', path: '/ws/a.txt', action: 'edit' }, mode: 'default', agent: 'fixer' };
const never = new AbortController().signal;

afterEach(() => {
  vi.useRealTimers();
});

/** A run that asks once and answers with what it was told. */
function askingRun(answers: UserAnswer[]) {
  return async ({ askUser, signal }: { askUser: (q: ApprovalQuestion, s: AbortSignal) => Promise<UserAnswer>; signal: AbortSignal }) => {
    answers.push(await askUser(QUESTION, signal));
    return { content: [{ type: 'text' as const, text: 'done' }] };
  };
}

describe('live runs', () => {
  it('pauses at a question, shows the approval form, and resumes with the answer', async () => {
    const live = createLiveRuns();
    const answers: UserAnswer[] = [];
    const view = live.start({ principal: 'local', run: askingRun(answers) });
    const paused = await live.settle(view.id, never);
    expect(paused?.status).toBe('input_required');
    const [key, form] = [...paused!.questions][0]!;
    expect(form.message).toContain('/ws/a.txt');
    expect(live.answer(view.id, 'local', { [key]: { action: 'accept', content: { decision: 'approve_for_run' } } })).toBe(true);
    const done = await live.settle(view.id, never);
    expect(done?.status).toBe('completed');
    expect(answers).toEqual([{ answer: 'approve_for_run' }]);
    live.close();
  });

  it('tells a watcher of its own run each status change, and refuses to watch another principal\'s run', async () => {
    const live = createLiveRuns();
    const asking = askingRun([]);
    // It asks after a tick, once the watcher below is attached.
    const view = live.start({ principal: 'alice', run: async (hooks) => asking(await Promise.resolve(hooks)) });
    const statuses: string[] = [];
    expect(live.watch(view.id, 'bob', () => statuses.push('bob heard'))).toBeUndefined();
    expect(live.watch(view.id, 'alice', (v) => statuses.push(v.status))).toBeTypeOf('function');
    const paused = await live.settle(view.id, never);
    const [key] = [...paused!.questions.keys()];
    live.answer(view.id, 'alice', { [key!]: { action: 'accept', content: { decision: 'approve' } } });
    await live.settle(view.id, never);
    expect(statuses).toEqual(['input_required', 'working', 'completed']);
    live.close();
  });

  it('declines a question nobody answers within the approval timeout', async () => {
    vi.useFakeTimers();
    const live = createLiveRuns({ approvalTimeoutMs: 5 * 60_000 });
    const answers: UserAnswer[] = [];
    const view = live.start({ principal: 'local', run: askingRun(answers) });
    await live.settle(view.id, never);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect((await live.settle(view.id, never))?.status).toBe('completed');
    expect(answers).toEqual([{ answer: 'decline', reason: 'no answer within 5 minutes' }]);
    live.close();
  });

  it('keeps a run to its principal: another cannot see, answer or cancel it', async () => {
    const live = createLiveRuns();
    const answers: UserAnswer[] = [];
    const view = live.start({ principal: 'bearer:aaaa', run: askingRun(answers) });
    const paused = await live.settle(view.id, never);
    const [key] = [...paused!.questions.keys()];
    expect(live.get(view.id, 'bearer:bbbb')).toBeUndefined();
    expect(live.answer(view.id, 'bearer:bbbb', { [key!]: { action: 'accept', content: { decision: 'approve' } } })).toBe(false);
    expect(live.cancel(view.id, 'bearer:bbbb', 'no')).toBeUndefined();
    expect(live.get(view.id, 'bearer:aaaa')?.status).toBe('input_required');
    live.close();
  });

  it('cancels a paused run: its question is declined and its signal aborts', async () => {
    const live = createLiveRuns();
    const answers: UserAnswer[] = [];
    let aborted = false;
    const view = live.start({
      principal: 'local',
      run: async (hooks) => {
        hooks.signal.addEventListener('abort', () => (aborted = true));
        return askingRun(answers)(hooks);
      },
    });
    await live.settle(view.id, never);
    expect(live.cancel(view.id, 'local', 'The caller cancelled the task.')?.status).toBe('cancelled');
    expect(aborted).toBe(true);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(answers[0]).toMatchObject({ answer: 'decline' });
    live.close();
  });

  it('ignores answers to keys it never asked', async () => {
    const live = createLiveRuns();
    const view = live.start({ principal: 'local', run: askingRun([]) });
    await live.settle(view.id, never);
    live.answer(view.id, 'local', { 'approval-99': { action: 'accept', content: { decision: 'approve' } } });
    expect(live.get(view.id, 'local')?.status).toBe('input_required');
    live.close();
  });
});
