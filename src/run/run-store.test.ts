import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_PRINCIPAL } from './call-context.js';
import type { RunRecord } from './run-record.js';
import { createRunStore, isRunId } from './run-store.js';

function record(id: string, prompt = 'p'): RunRecord {
  return { run_id: id, agent: 'a', model: 'm', status: 'running', prompt, started_at: '2026-01-01T00:00:00.000Z', messages: [] };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-runs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createRunStore', () => {
  it('lists runs newest first, a saved-again run moving to the front', async () => {
    const store = createRunStore();
    for (const id of ['r1', 'r2', 'r3']) await store.save(record(id));
    await store.save({ ...record('r1'), status: 'ended' });
    expect((await store.list(LOCAL_PRINCIPAL)).map((r) => r.run_id)).toEqual(['r1', 'r3', 'r2']);
    expect((await store.get('r1'))?.status).toBe('ended');
  });

  it('lists only the given principal\'s runs', async () => {
    const store = createRunStore();
    await store.save({ ...record('a1'), principal: 'alice' });
    await store.save({ ...record('b1'), principal: 'bob' });
    await store.save(record('l1'));
    expect((await store.list('alice')).map((r) => r.run_id)).toEqual(['a1']);
    expect((await store.list(LOCAL_PRINCIPAL)).map((r) => r.run_id)).toEqual(['l1']);
  });

  it('drops the oldest runs beyond the count bound and the size bound', async () => {
    const byCount = createRunStore({ maxRuns: 2 });
    for (const id of ['r1', 'r2', 'r3']) await byCount.save(record(id));
    expect((await byCount.list(LOCAL_PRINCIPAL)).map((r) => r.run_id)).toEqual(['r3', 'r2']);
    expect(await byCount.get('r1')).toBeUndefined();

    const bySize = createRunStore({ maxBytes: 5000 });
    for (const id of ['r1', 'r2', 'r3']) await bySize.save(record(id, 'x'.repeat(2000)));
    expect((await bySize.list(LOCAL_PRINCIPAL)).map((r) => r.run_id)).toEqual(['r3', 'r2']);
  });

  it('keeps each run as an owner-only JSON file and reads it back after a restart', async () => {
    const runsDir = path.join(dir, 'runs');
    await createRunStore({ dir: runsDir }).save({ ...record('r1'), status: 'ended' });
    const file = path.join(runsDir, 'r1.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ run_id: 'r1', status: 'ended' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const restarted = createRunStore({ dir: runsDir });
    expect(await restarted.list(LOCAL_PRINCIPAL)).toEqual([]);
    expect(await restarted.get('r1')).toMatchObject({ run_id: 'r1', status: 'ended' });
  });

  it('never touches the disk for an id that is not a run id, and skips files that are not records', async () => {
    const errors: unknown[] = [];
    const store = createRunStore({ dir, onError: (e) => errors.push(e) });
    expect(isRunId('../etc/passwd')).toBe(false);
    expect(await store.get('../etc/passwd')).toBeUndefined();
    await writeFile(path.join(dir, 'junk.json'), '{"not":"a record"}');
    expect(await store.get('junk')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('reports a failed write and keeps the run in memory', async () => {
    const errors: unknown[] = [];
    const blocked = path.join(dir, 'file');
    await writeFile(blocked, 'not a folder');
    const store = createRunStore({ dir: blocked, onError: (e) => errors.push(e) });
    await store.save(record('r1'));
    expect(errors).toHaveLength(1);
    expect(await store.get('r1')).toMatchObject({ run_id: 'r1' });
  });
});
