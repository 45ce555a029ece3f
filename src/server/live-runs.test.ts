/**
 * Live runs on the store: pauses, answers, cancels and ownership; and, with two instances on one
 * store standing for two replicas, answers, cancels and polls that reach a run executing on the
 * other, and a run handed over at shutdown that the other carries on from its checkpoint.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { createRedactor } from '../redact.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import type { ApprovalQuestion, UserAnswer } from '../tools/permissions/permission.js';
import type { ExecuteRun, LiveRunHooks, LiveRuns, LiveRunSpec } from './live-runs.js';
import { createSharedLiveRuns } from './shared-live-runs.js';

const QUESTION: ApprovalQuestion = { request: { kind: 'edit', tool: 'Edit', path: '/ws/a.txt', action: 'edit' }, mode: 'default', agent: 'fixer' };
const never = new AbortController().signal;
const logger = createLogger({ level: 'silent' });
const APPROVE = { action: 'accept', content: { decision: 'approve' } };

const opened: LiveRuns[] = [];
const stores: Store[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((l) => l.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function spec(principal = 'local'): LiveRunSpec {
  return { principal, call: { name: 'fixer', arguments: { prompt: 'fix it' } }, caller: { asks: 'input_required', tasks: true } };
}

/** A run that asks once and answers with what it was told. */
function askingRun(answers: UserAnswer[], before?: (hooks: LiveRunHooks) => void): ExecuteRun {
  return async (_spec, hooks) => {
    before?.(hooks);
    answers.push(await hooks.askUser(QUESTION, hooks.signal));
    return { content: [{ type: 'text', text: 'done' }] };
  };
}

async function open(execute: ExecuteRun, options: { store?: Store; shared?: boolean; approvalTimeoutMs?: number } = {}): Promise<LiveRuns> {
  const store = options.store ?? createMemoryStore();
  if (!options.store) stores.push(store);
  const live = await createSharedLiveRuns({ store, execute, logger, shared: options.shared ?? false, ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}) });
  opened.push(live);
  return live;
}

describe('live runs', () => {
  it('pauses at a question, shows the approval form, and resumes with the answer', async () => {
    const answers: UserAnswer[] = [];
    const live = await open(askingRun(answers));
    const view = await live.start(spec());
    const paused = await live.settle(view.id, never);
    expect(paused?.status).toBe('input_required');
    const [key, form] = [...paused!.questions][0]!;
    expect(form.message).toContain('/ws/a.txt');
    expect(await live.answer(view.id, 'local', { [key]: { action: 'accept', content: { decision: 'approve_for_run' } } })).toEqual(new Set([key]));
    const done = await live.settle(view.id, never, new Set([key]));
    expect(done?.status).toBe('completed');
    expect(answers).toEqual([{ answer: 'approve_for_run' }]);
  });

  it('tells a watcher of its own run each status change, and refuses to watch another principal\'s run', async () => {
    let watching: () => void = () => undefined;
    const watched = new Promise<void>((resolve) => (watching = resolve));
    // It asks once the watcher below is attached.
    const live = await open(async (s, hooks) => askingRun([])(s, await watched.then(() => hooks)));
    const view = await live.start(spec('alice'));
    const statuses: string[] = [];
    expect(await live.watch(view.id, 'bob', () => statuses.push('bob heard'))).toBeUndefined();
    expect(await live.watch(view.id, 'alice', (v) => statuses.push(v.status))).toBeTypeOf('function');
    watching();
    const paused = await live.settle(view.id, never);
    const [key] = [...paused!.questions.keys()];
    await live.answer(view.id, 'alice', { [key!]: APPROVE });
    await live.settle(view.id, never, new Set([key!]));
    await vi.waitFor(() => expect(statuses).toEqual(['input_required', 'working', 'completed']));
  });

  it('declines a question nobody answers within the approval timeout', async () => {
    const answers: UserAnswer[] = [];
    const live = await open(askingRun(answers), { approvalTimeoutMs: 50 });
    const view = await live.start(spec());
    await live.settle(view.id, never);
    // Waits on the run's end (the timeout declines), not on a clock.
    const paused = await live.settle(view.id, never, new Set(['approval-1']));
    expect(paused?.status).toBe('completed');
    expect(answers).toEqual([{ answer: 'decline', reason: 'no answer within 0 minutes' }]);
  });

  it('keeps a run to its principal: another cannot see, answer or cancel it', async () => {
    const live = await open(askingRun([]));
    const view = await live.start(spec('alice'));
    const paused = await live.settle(view.id, never);
    const [key] = [...paused!.questions.keys()];
    expect(await live.get(view.id, 'bob')).toBeUndefined();
    expect(await live.answer(view.id, 'bob', { [key!]: APPROVE })).toBeUndefined();
    expect(await live.cancel(view.id, 'bob', 'no')).toBeUndefined();
    expect((await live.get(view.id, 'alice'))?.status).toBe('input_required');
  });

  it('cancels a paused run: its question is declined and its signal aborts', async () => {
    const answers: UserAnswer[] = [];
    let aborted = false;
    const live = await open(askingRun(answers, (hooks) => hooks.signal.addEventListener('abort', () => (aborted = true))));
    const view = await live.start(spec());
    await live.settle(view.id, never);
    expect((await live.cancel(view.id, 'local', 'The caller cancelled the task.'))?.status).toBe('cancelled');
    expect(aborted).toBe(true);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(answers[0]).toMatchObject({ answer: 'decline' });
  });

  it('ignores answers to keys it never asked', async () => {
    const live = await open(askingRun([]));
    const view = await live.start(spec());
    await live.settle(view.id, never);
    expect(await live.answer(view.id, 'local', { 'approval-99': APPROVE })).toEqual(new Set());
    expect((await live.get(view.id, 'local'))?.status).toBe('input_required');
  });
});

describe('live runs on a store two replicas share', () => {
  it('answers, polls and cancels through the replica that does not execute the run', async () => {
    const store = createMemoryStore();
    stores.push(store);
    const answers: UserAnswer[] = [];
    const a = await open(askingRun(answers), { store, shared: true });
    const b = await open(askingRun([]), { store, shared: true });
    const view = await a.start(spec('alice'));
    const paused = await b.settle(view.id, never);
    expect(paused?.status).toBe('input_required');
    const [key] = [...paused!.questions.keys()];
    expect(await b.get(view.id, 'bob')).toBeUndefined();
    expect(await b.answer(view.id, 'alice', { [key!]: APPROVE })).toEqual(new Set([key]));
    const done = await b.settle(view.id, never, new Set([key!]));
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'done' }] } });
    expect(answers).toEqual([{ answer: 'approve' }]);

    const second = await a.start(spec('alice'));
    await b.settle(second.id, never);
    await b.cancel(second.id, 'alice', 'stop');
    expect((await b.settle(second.id, never))?.status).toBe('cancelled');
  });

  it('hands a run over at shutdown: the other replica carries it on from its last checkpoint', async () => {
    const store = createMemoryStore();
    stores.push(store);
    const seen: Array<{ replica: string; from: number | undefined }> = [];
    const execute = (replica: string): ExecuteRun => async (_spec, hooks) => {
      seen.push({ replica, from: hooks.checkpoints?.from?.turns });
      if (replica === 'a') {
        await hooks.checkpoints?.save({ runId: 'r1', messages: [], prefix: { system: 's', tools: [], serverTools: [] }, turns: 3, usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }, costUsd: 0, elapsedMs: 5, todos: [], toolsInFlight: false });
        // Runs until stopped.
        if (!hooks.signal.aborted) await new Promise((resolve) => hooks.signal.addEventListener('abort', resolve));
      }
      return { content: [{ type: 'text', text: `finished on ${replica}` }] };
    };
    const a = await open(execute('a'), { store, shared: true });
    const b = await open(execute('b'), { store, shared: true });
    const view = await a.start(spec('alice'));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await a.close({ handOff: true });
    const done = await b.settle(view.id, never);
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'finished on b' }] } });
    expect(seen).toEqual([{ replica: 'a', from: undefined }, { replica: 'b', from: 3 }]);
  });
});

describe('live runs when the store forgets', () => {
  it('takes a lease the store forgot (Redis restarted empty) again: the run goes on and its record is written again', async () => {
    const base = createMemoryStore();
    stores.push(base);
    let forget = false;
    // The store as Redis after an empty restart: it no longer knows the lease or the record.
    const store: Store = {
      ...base,
      renewLease: async (lease, ttlMs) => (forget ? ((forget = false), await base.delete('live-runs', lease.name.replace('live-run:', '')), await base.releaseLease(lease), false) : base.renewLease(lease, ttlMs)),
    };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const live = await createSharedLiveRuns({ store, logger, shared: true, leaseMs: 30, execute: async () => (await gate, { content: [{ type: 'text', text: 'still here' }] }) });
    opened.push(live);
    const view = await live.start(spec('alice'));
    forget = true;
    await vi.waitFor(async () => expect(forget).toBe(false));
    // Written again once its lease is taken again.
    await vi.waitFor(async () => expect(await base.get('live-runs', view.id)).toBeDefined());
    release();
    expect(await live.settle(view.id, never)).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'still here' }] } });
  });
});

describe('what live runs write to the store', () => {
  it('masks the server\'s secrets in run records and checkpoints', async () => {
    const secret = 'sk-ant-live-runs-0123456789abcdef';
    const base = createMemoryStore();
    stores.push(base);
    const written: string[] = [];
    const store: Store = { ...base, put: async (namespace, record) => (written.push(record.value), base.put(namespace, record)) };
    const live = await createSharedLiveRuns({
      store,
      logger,
      shared: true,
      redactor: createRedactor([secret]),
      execute: async (_spec, hooks) => {
        await hooks.checkpoints?.save({ runId: 'r', messages: [{ role: 'user', content: [{ type: 'text', text: `the key is ${secret}` }] }], prefix: { system: 's', tools: [], serverTools: [] }, turns: 1, usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }, costUsd: 0, elapsedMs: 1, todos: [], toolsInFlight: false });
        return { content: [{ type: 'text', text: `done with ${secret}` }] };
      },
    });
    opened.push(live);
    const view = await live.start(spec());
    await live.settle(view.id, never);
    // The executing replica answers from its own view; the last state reaches the store just after.
    await vi.waitFor(() => expect(written.join('\n')).toContain('done with'));
    expect(written.join('\n')).not.toContain(secret);
  });
});

describe('progress of a run executing on another replica', () => {
  it('reaches the round attached on the replica the caller\'s request reached, once', async () => {
    const store = createMemoryStore();
    stores.push(store);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const execute: ExecuteRun = async (_spec, hooks) => {
      await gate;
      hooks.sink()?.progress({ progress: 1, message: 'turn 1' });
      hooks.sink()?.log('info', { event: 'run ended' });
      return { content: [{ type: 'text', text: 'done' }] };
    };
    const a = await open(execute, { store, shared: true });
    const b = await open(execute, { store, shared: true });
    const view = await a.start(spec('alice'));
    const onB: string[] = [];
    const onA: string[] = [];
    b.attach(view.id, { progress: (u) => onB.push(`progress ${u.message}`), log: (_l, d) => onB.push(`log ${String(d['event'])}`) });
    a.attach(view.id, { progress: (u) => onA.push(`progress ${u.message}`), log: () => onA.push('log') });
    release();
    await b.settle(view.id, never);
    await vi.waitFor(() => expect(onB).toEqual(['progress turn 1', 'log run ended']));
    expect(onA).toEqual(['progress turn 1', 'log']);
  });
});
