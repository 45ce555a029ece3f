import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCollection } from './collection.js';
import { StoreDataError } from './errors.js';
import { createMemoryStore } from './memory-store.js';

const TaskSchema = z.object({ status: z.enum(['working', 'completed', 'failed', 'cancelled']), result: z.string().optional() });

function setUp() {
  const store = createMemoryStore();
  const invalid: StoreDataError[] = [];
  const tasks = createCollection(store, { namespace: 'tasks', schema: TaskSchema, ttlMs: 60_000, onInvalid: (e) => invalid.push(e) });
  return { store, tasks, invalid };
}

describe('createCollection', () => {
  it('round-trips a typed value through JSON', async () => {
    const { tasks } = setUp();
    await tasks.create('t1', 'alice', { status: 'working' });
    expect(await tasks.get('t1')).toMatchObject({ id: 't1', principal: 'alice', value: { status: 'working' }, revision: 1 });
  });

  it("getOwned answers another principal's record exactly as a missing one", async () => {
    const { tasks } = setUp();
    await tasks.create('t1', 'alice', { status: 'working' });
    expect(await tasks.getOwned('t1', 'alice')).toBeDefined();
    expect(await tasks.getOwned('t1', 'bob')).toEqual(await tasks.getOwned('missing', 'bob'));
    expect(await tasks.getOwned('t1', 'bob')).toBeUndefined();
  });

  it('a task moves from working to a final status once: the second of two racing updates gets undefined', async () => {
    const { tasks } = setUp();
    await tasks.create('t1', 'alice', { status: 'working' });
    const read = (await tasks.get('t1'))!;
    const [completed, cancelled] = await Promise.all([
      tasks.update(read, () => ({ status: 'completed', result: 'done' })),
      tasks.update(read, () => ({ status: 'cancelled' })),
    ]);
    expect(completed).toMatchObject({ value: { status: 'completed', result: 'done' }, revision: 2 });
    expect(cancelled).toBeUndefined();
    expect((await tasks.get('t1'))!.value.status).toBe('completed');
  });

  it('a value that no longer matches the schema makes get throw a StoreDataError naming the record', async () => {
    const { store, tasks } = setUp();
    await store.put('tasks', { id: 't-bad', principal: 'alice', value: '{"status":"exploded"}', ttlMs: 60_000 });
    await expect(tasks.get('t-bad')).rejects.toThrow(StoreDataError);
    await expect(tasks.get('t-bad')).rejects.toThrow(/tasks\/t-bad in the store does not match its schema \(status: /);
    await store.put('tasks', { id: 't-text', principal: 'alice', value: 'not json', ttlMs: 60_000 });
    await expect(tasks.get('t-text')).rejects.toThrow(/tasks\/t-text in the store is not JSON/);
  });

  it("list leaves out a record that does not decode, reports it, and still returns the principal's others", async () => {
    const { store, tasks, invalid } = setUp();
    await tasks.create('t1', 'alice', { status: 'working' });
    await store.put('tasks', { id: 't2', principal: 'alice', value: '{"status":42}', ttlMs: 60_000 });
    expect((await tasks.list('alice')).map((r) => r.id)).toEqual(['t1']);
    expect(invalid.map((e) => e.message)).toEqual([expect.stringContaining('tasks/t2')]);
  });

  it('refuses a namespace or TTL it cannot store, when created', () => {
    const store = createMemoryStore();
    expect(() => createCollection(store, { namespace: 'Tasks!', schema: TaskSchema, ttlMs: 1, onInvalid: () => {} })).toThrow(/namespace/);
    expect(() => createCollection(store, { namespace: 'tasks', schema: TaskSchema, ttlMs: -1, onInvalid: () => {} })).toThrow(/ttlMs/);
  });
});
