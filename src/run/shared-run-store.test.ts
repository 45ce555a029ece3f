/**
 * Runs in the shared store: two run stores on one Store stand for two replicas. What one keeps
 * the other lists, reads and resumes (prefix bytes intact), each principal sees only their own,
 * secrets are masked before they reach the store, records expire after their retention, and a
 * store that is away never fails a run and gives reads a clear error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../redact.js';
import { StoreUnavailableError } from '../store/errors.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import type { RunRecord } from './run-record.js';
import { RunStoreUnavailableError, type RunKeepingPlace } from './run-store.js';
import { createSharedRunStore, RUN_RETENTION_MSEC } from './shared-run-store.js';

const SECRET = 'sk-ant-secret-0123456789abcdef';

function record(id: string, principal: string, extra: Partial<RunRecord> = {}): RunRecord {
  return { run_id: id, agent: 'a', model: 'm', status: 'ended', prompt: `prompt of ${id}`, principal, started_at: '2026-01-01T00:00:00.000Z', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], ...extra };
}

/** `store` with every call rejecting as a Redis that is away does. */
function unreachable(store: Store): Store {
  const away = (operation: string) => () => Promise.reject(new StoreUnavailableError('redis://127.0.0.1:1/0', operation, new Error('not connected')));
  return { ...store, create: away('create'), put: away('put'), get: away('get'), update: away('update'), delete: away('delete'), list: away('list') };
}

let dir: string;
let clock: number;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shared-runs-'));
  clock = Date.parse('2026-01-01T00:00:00.000Z');
  store = createMemoryStore({ now: () => clock });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createSharedRunStore', () => {
  it('lets a second replica read what the first kept, its prefix byte for byte', async () => {
    const a = createSharedRunStore({ store });
    const b = createSharedRunStore({ store });
    // Key order of the prefix is part of what was sent (prompt caching); it must come back as is.
    const prefix = { system: 'You are a test agent.', tools: [{ name: 't', input_schema: { type: 'object' as const, properties: {} }, description: 'd' }], server_tools: [] };
    await a.save(record('r1', 'alice', { prefix }));
    const read = await b.get('r1');
    expect(read).toMatchObject({ run_id: 'r1', principal: 'alice', status: 'ended', messages: [{ role: 'user' }] });
    expect(JSON.stringify(read?.prefix)).toBe(JSON.stringify(prefix));
    expect(await b.get('never-was')).toBeUndefined();
  });

  it('lists a principal\'s own runs, newest first, without their conversations', async () => {
    const a = createSharedRunStore({ store });
    await a.save(record('a1', 'alice'));
    clock += 1000;
    await a.save(record('b1', 'bob'));
    clock += 1000;
    await a.save(record('a2', 'alice'));
    // Saving again (running → ended) keeps a run where it started in the list.
    await a.save(record('a1', 'alice', { outcome: undefined, status: 'ended' }));
    const listed = await createSharedRunStore({ store }).list('alice');
    expect(listed.map((r) => r.run_id)).toEqual(['a2', 'a1']);
    expect(listed[0]).not.toHaveProperty('messages');
    expect((await a.list('carol'))).toEqual([]);
  });

  it('masks secrets before anything reaches the store', async () => {
    const a = createSharedRunStore({ store, redactor: createRedactor([SECRET]) });
    await a.save(record('r1', 'alice', { prompt: `use ${SECRET}`, messages: [{ role: 'user', content: [{ type: 'text', text: SECRET }] }] }));
    const raw = [await store.get('runs', 'r1'), await store.get('transcripts', 'r1')].map((r) => r?.value ?? '');
    expect(raw.join('')).not.toContain(SECRET);
    expect(raw[1]).toContain('[redacted]');
  });

  it('keeps a run for its retention after the last write, then forgets it', async () => {
    const a = createSharedRunStore({ store });
    await a.save(record('r1', 'alice'));
    clock += RUN_RETENTION_MSEC - 1;
    expect(await a.get('r1')).toBeDefined();
    clock += 1;
    expect(await a.get('r1')).toBeUndefined();
    expect(await a.list('alice')).toEqual([]);
  });

  it('reads a run whose transcript is gone, without its turns', async () => {
    const a = createSharedRunStore({ store });
    await a.save(record('r1', 'alice'));
    await store.delete('transcripts', 'r1');
    expect(await a.get('r1')).toMatchObject({ run_id: 'r1', messages: [] });
  });

  it('answers a record written by another version as an unknown run, and reports it', async () => {
    const errors: Array<[string, RunKeepingPlace]> = [];
    await store.put('runs', { id: 'r1', principal: 'alice', value: '{"run_id":"r1","shape":"from the future"}', ttlMs: 60_000 });
    const a = createSharedRunStore({ store, onError: (_e, runId, place) => errors.push([runId, place]) });
    expect(await a.get('r1')).toBeUndefined();
    expect(await a.list('alice')).toEqual([]);
    expect(errors).toEqual([['r1', 'store'], ['runs', 'store']]);
  });

  it('lets a run go on when the store is away, and gives reads a clear error to retry', async () => {
    const errors: Array<[unknown, RunKeepingPlace]> = [];
    const away = createSharedRunStore({ store: unreachable(store), onError: (e, _id, place) => errors.push([e, place]) });
    await expect(away.save(record('r1', 'alice'))).resolves.toBeUndefined();
    expect(errors).toEqual([[expect.any(StoreUnavailableError), 'store']]);
    await expect(away.get('r1')).rejects.toThrow(RunStoreUnavailableError);
    await expect(away.get('r1')).rejects.toThrow(/run store is unreachable.*Retry in a moment/);
    await expect(away.list('alice')).rejects.toThrow(RunStoreUnavailableError);
  });

  it('answers from --runs-dir what it kept there while the store is away', async () => {
    const runsDir = path.join(dir, 'runs');
    await createSharedRunStore({ store, dir: runsDir }).save(record('r1', 'alice'));
    const away = createSharedRunStore({ store: unreachable(store), dir: runsDir });
    expect(await away.get('r1')).toMatchObject({ run_id: 'r1', principal: 'alice' });
    await expect(away.get('r2')).rejects.toThrow(RunStoreUnavailableError);
  });
});
