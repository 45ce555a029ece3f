/**
 * Task subscriptions over a transport (stdio's wrapper): a store that fails while the subscription
 * is being set up never crashes the process, and the subscriber still hears the task's state.
 */
import { CLIENT_CAPABILITIES_META_KEY, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import type { LiveRuns } from './live-runs.js';
import { TASKS_EXTENSION } from './modern-tasks.js';
import { createSharedLiveRuns } from './shared-live-runs.js';
import { withTaskListen } from './task-listen.js';

const logger = createLogger({ level: 'silent' });
const opened: LiveRuns[] = [];
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** The transport under the wrapper: it records what is sent. */
function innerTransport(): { inner: Transport; sent: JSONRPCMessage[] } {
  const sent: JSONRPCMessage[] = [];
  const inner: Transport = { start: async () => undefined, close: async () => undefined, send: async (message) => void sent.push(message) };
  return { inner, sent };
}

describe('task subscriptions', () => {
  it('survive a store that fails while the subscription is set up: no unhandled rejection, and the task\'s state is sent', async () => {
    const base = createMemoryStore();
    stores.push(base);
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const executing = await createSharedLiveRuns({ store: base, logger, shared: true, execute: async () => (await finished, { content: [{ type: 'text', text: 'done' }] }) });
    opened.push(executing);
    // The replica the subscriber reached: its second read of the run fails (Redis dropped just then).
    let reads = 0;
    const flaky: Store = {
      ...base,
      get: async (namespace, id) => {
        if (namespace === 'live-runs' && ++reads === 2) throw new Error('the store is away');
        return base.get(namespace, id);
      },
    };
    const listening = await createSharedLiveRuns({ store: flaky, logger, shared: true, execute: async () => ({ content: [] }) });
    opened.push(listening);
    const view = await executing.start({ principal: 'alice', call: { name: 'fixer' }, caller: { tasks: true } });

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { inner, sent } = innerTransport();
      withTaskListen(inner, { live: listening, principal: 'alice', onListChanged: () => () => undefined });
      inner.onmessage?.({
        jsonrpc: '2.0',
        id: 7,
        method: 'subscriptions/listen',
        params: { notifications: { taskIds: [view.id] }, _meta: { [CLIENT_CAPABILITIES_META_KEY]: { extensions: { [TASKS_EXTENSION]: {} } } } },
      } as JSONRPCMessage);
      await vi.waitFor(() => expect(sent.map((m) => ('method' in m ? m.method : ''))).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tasks']));
      finish();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
