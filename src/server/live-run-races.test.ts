/**
 * Races between replicas over one run (two or three instances on one memory store stand for the
 * replicas): a replica that lost a run's lease, or let it go at shutdown, must leave the new
 * holder's state alone; a replica that shuts down while taking a run over lets it go to another.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Lease, Store } from '../store/store.js';
import type { ApprovalQuestion } from '../tools/permissions/permission.js';
import type { ExecuteRun, LiveRuns, LiveRunSpec } from './live-runs.js';
import { createSharedLiveRuns, type SharedLiveRunsOptions } from './shared-live-runs.js';

const QUESTION: ApprovalQuestion = { request: { kind: 'edit', tool: 'Edit', path: '/ws/a.txt', action: 'edit' }, mode: 'default', agent: 'fixer' };
const never = new AbortController().signal;
const logger = createLogger({ level: 'silent' });
const SPEC: LiveRunSpec = { principal: 'alice', call: { name: 'fixer', arguments: { prompt: 'fix it' } }, caller: { asks: 'input_required', tasks: true } };

const opened: LiveRuns[] = [];
const stores: Store[] = [];
const gates: Array<() => void> = [];
afterEach(async () => {
  for (const open of gates.splice(0)) open();
  await Promise.all(opened.splice(0).map((l) => l.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A promise and the function that settles it (opened at the latest after the test). */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  gates.push(open);
  return { wait, open };
}

function text(value: string): { content: Array<{ type: 'text'; text: string }> } {
  return { content: [{ type: 'text', text: value }] };
}

/** A run that asks once, and ends when answered (or declined). */
const asking: ExecuteRun = async (_spec, hooks) => {
  await hooks.askUser(QUESTION, hooks.signal);
  return text('answered');
};

async function replica(options: Pick<SharedLiveRunsOptions, 'store' | 'execute'> & Partial<SharedLiveRunsOptions>): Promise<LiveRuns> {
  const live = await createSharedLiveRuns({ logger, shared: true, leaseMs: 30, ...options });
  opened.push(live);
  return live;
}

/** The shared base store, and a view of it for one replica whose leases the test can see. */
function sharedStore(): { base: Store; leases: Lease[]; viewFor: (overrides?: Partial<Store>) => Store } {
  const base = createMemoryStore();
  stores.push(base);
  const leases: Lease[] = [];
  const viewFor = (overrides: Partial<Store> = {}): Store => ({
    ...base,
    acquireLease: async (name, ttlMs) => {
      const lease = await base.acquireLease(name, ttlMs);
      if (lease) leases.push(lease);
      return lease;
    },
    ...overrides,
  });
  return { base, leases, viewFor };
}

async function recordIn(store: Store, namespace: string, id: string): Promise<Record<string, unknown> | undefined> {
  const record = await store.get(namespace, id);
  return record && (JSON.parse(record.value) as Record<string, unknown>);
}

describe('a replica that lost a run to another', () => {
  it('writes nothing more of it: the question the new holder asked stays in the store', async () => {
    const { base, leases, viewFor } = sharedStore();
    let stalled = false;
    const renewing = gate();
    const stuck = gate();
    // Replica a stalls (a long pause) with a renewal under way; its lease lapses meanwhile.
    const a = await replica({ store: viewFor({ renewLease: async (lease, ttlMs) => (stalled ? (stuck.open(), await renewing.wait) : undefined, base.renewLease(lease, ttlMs)) }), execute: asking });
    await replica({ store: base, execute: asking });
    const view = await a.start(SPEC);
    expect((await a.settle(view.id, never))?.questions.has('approval-1')).toBe(true);
    stalled = true;
    await stuck.wait;
    await base.releaseLease(leases[0]!);
    // Replica b carries the run on and asks again.
    await vi.waitFor(async () => expect(await recordIn(base, 'live-runs', view.id)).toMatchObject({ status: 'input_required', questions: { 'approval-2': expect.anything() } }));
    renewing.open();
    // a learns it lost the lease, stops the run (declining its own question) and forgets it.
    await vi.waitFor(() => expect(a.size).toBe(0));
    const record = await recordIn(base, 'live-runs', view.id);
    expect(record).toMatchObject({ status: 'input_required' });
    expect(Object.keys(record?.['questions'] as object)).toEqual(['approval-2']);
  });

  it('does not end it when its own execution finishes first: the store keeps the new holder\'s run, unfinished', async () => {
    const { base, leases, viewFor } = sharedStore();
    const started = gate();
    const finish = gate();
    // A lease long enough that a renews nothing during the test: it learns of the loss only at the end.
    const a = await replica({ store: viewFor(), leaseMs: 60_000, execute: async () => (started.open(), await finish.wait, text('finished on a')) });
    await replica({ store: base, execute: asking });
    const view = await a.start(SPEC);
    await started.wait;
    await base.releaseLease(leases[0]!);
    await vi.waitFor(async () => expect(await recordIn(base, 'live-runs', view.id)).toMatchObject({ status: 'input_required' }));
    finish.open();
    await vi.waitFor(() => expect(a.size).toBe(0));
    expect(await recordIn(base, 'live-runs', view.id)).toMatchObject({ status: 'input_required' });
    expect(await base.get('unfinished-runs', view.id)).toBeDefined();
  });
});

describe('a run whose turn takes long', () => {
  it('keeps its checkpoint past a record\'s TTL, for as long as it is unfinished', async () => {
    let now = Date.now();
    const store = createMemoryStore({ now: () => now });
    stores.push(store);
    const saved = gate();
    const live = await replica({
      store,
      execute: async (_spec, hooks) => {
        await hooks.checkpoints?.save({ runId: 'r1', messages: [], prefix: { system: 's', tools: [], serverTools: [] }, turns: 1, usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }, costUsd: 0, elapsedMs: 5, todos: [], toolsInFlight: true });
        saved.open();
        // A tool call of two hours (a nested agent under a long --max-duration).
        await new Promise((resolve) => hooks.signal.addEventListener('abort', resolve));
        return text('stopped');
      },
    });
    const view = await live.start(SPEC);
    await saved.wait;
    now += 2 * 60 * 60 * 1000;
    expect(await recordIn(store, 'checkpoints', view.id)).toMatchObject({ turns: 1, toolsInFlight: true });
  });
});

describe('a lease the store forgot just as the run ended', () => {
  it('is taken again for the run\'s last writes, and a store that refuses its release crashes nothing', async () => {
    const { base } = sharedStore();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let forget = false;
      let acquired = 0;
      const finish = gate();
      let live: LiveRuns | undefined;
      let id = '';
      // As Redis restarted empty: the renewal finds no lease; the run ends while it is taken again; releases fail.
      const store: Store = {
        ...base,
        renewLease: async (lease, ttlMs) => (forget ? ((forget = false), await base.releaseLease(lease), false) : base.renewLease(lease, ttlMs)),
        acquireLease: async (name, ttlMs) => {
          if (++acquired === 2) {
            finish.open();
            await live?.settle(id, never);
          }
          return base.acquireLease(name, ttlMs);
        },
        releaseLease: async () => {
          throw new Error('the store is away');
        },
      };
      live = await replica({ store, execute: async () => (await finish.wait, text('finished')) });
      id = (await live.start(SPEC)).id;
      forget = true;
      await vi.waitFor(() => expect(live.size).toBe(0));
      expect(await recordIn(base, 'live-runs', id)).toMatchObject({ status: 'completed' });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a lease lost while its run writes its end', () => {
  it('is not taken again and kept once the run has ended: nobody renews it for ever', async () => {
    const { base, leases, viewFor } = sharedStore();
    let acquiredAgain: () => void = () => undefined;
    const regaining = new Promise<void>((resolve) => (acquiredAgain = resolve));
    const regained = gate();
    let acquired = 0;
    let live: LiveRuns | undefined;
    const store = viewFor({
      acquireLease: async (name, ttlMs) => {
        const again = ++acquired === 2;
        if (again) {
          acquiredAgain();
          // The store answers only once the run has ended here.
          await vi.waitFor(() => expect(live?.size).toBe(0));
        }
        const lease = await base.acquireLease(name, ttlMs);
        if (lease) leases.push(lease);
        if (again) regained.open();
        return lease;
      },
      // The store forgets the lease (Redis restarted empty) while the run's end is being written.
      delete: async (namespace, id) => (namespace === 'checkpoints' ? (await base.releaseLease(leases[0]!), await regaining) : undefined, base.delete(namespace, id)),
    });
    live = await replica({ store, execute: async () => text('finished') });
    const view = await live.start(SPEC);
    await regained.wait;
    expect(leases).toHaveLength(2);
    await vi.waitFor(async () => expect(await base.acquireLease(`live-run:${view.id}`, 1_000)).toBeDefined());
  });
});

describe('a replica shutting down', () => {
  it('refuses to start a run once it is closing', async () => {
    const { base } = sharedStore();
    const live = await replica({ store: base, execute: asking });
    await live.close({ handOff: true });
    await expect(live.start(SPEC)).rejects.toThrow(/shutting down/);
  });

  it('lets a run it was taking over go to another replica instead of running it', async () => {
    const { base } = sharedStore();
    const seen: string[] = [];
    const execute = (name: string): ExecuteRun => async (_spec, hooks) => {
      seen.push(name);
      if (name === 'a' && !hooks.signal.aborted) await new Promise((resolve) => hooks.signal.addEventListener('abort', resolve));
      return text(`finished on ${name}`);
    };
    const reading = gate();
    const read = gate();
    const a = await replica({ store: base, leaseMs: 15_000, execute: execute('a') });
    // b holds the run's lease and is reading its checkpoint when it is told to stop.
    const b = await replica({
      store: { ...base, get: async (namespace, id) => (namespace === 'checkpoints' ? (reading.open(), await read.wait) : undefined, base.get(namespace, id)) },
      leaseMs: 15_000,
      execute: execute('b'),
    });
    const view = await a.start(SPEC);
    await vi.waitFor(() => expect(seen).toEqual(['a']));
    await a.close({ handOff: true });
    await reading.wait;
    const c = await replica({ store: base, leaseMs: 15_000, execute: execute('c') });
    const closing = b.close({ handOff: true });
    read.open();
    await closing;
    expect(await c.settle(view.id, never)).toMatchObject({ status: 'completed', result: text('finished on c') });
    expect(seen).toEqual(['a', 'c']);
  });

  it('leaves a run it handed over alone when the final close comes while it is still stopping', async () => {
    const { base } = sharedStore();
    const stop = gate();
    const started = gate();
    // Its tool ignores the abort for a while: the hand-over stops waiting for it.
    const a = await replica({ store: base, stopWaitMs: 1, execute: async () => (started.open(), await stop.wait, text('finished on a')) });
    await replica({ store: base, execute: asking });
    const view = await a.start(SPEC);
    await started.wait;
    await a.close({ handOff: true });
    await vi.waitFor(async () => expect(await recordIn(base, 'live-runs', view.id)).toMatchObject({ status: 'input_required' }));
    // The server's last close (start.ts) cancels what is left.
    await a.close();
    expect(await recordIn(base, 'live-runs', view.id)).toMatchObject({ status: 'input_required' });
    expect(await base.get('unfinished-runs', view.id)).toBeDefined();
  });

  it('takes no cancel once closing: a round its own shutdown cut does not stop the run another replica carries on', async () => {
    const { base } = sharedStore();
    const started = gate();
    const a = await replica({ store: base, execute: async (_spec, hooks) => (started.open(), await new Promise((resolve) => hooks.signal.addEventListener('abort', resolve)), text('stopped on a')) });
    const b = await replica({ store: base, execute: asking });
    const view = await a.start(SPEC);
    await started.wait;
    await a.close({ handOff: true });
    await vi.waitFor(async () => expect((await b.get(view.id, 'alice'))?.status).toBe('input_required'));
    // As modern-server.ts does when the request waiting on the run is cut.
    await expect(a.cancel(view.id, 'alice', 'The caller cancelled the request.')).rejects.toThrow(/shutting down/);
    expect((await b.get(view.id, 'alice'))?.status).toBe('input_required');
  });
});
