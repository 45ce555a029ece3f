/**
 * Loader campaign, on disk: a folder of hostile entries (fuzzed files, worst cases, a FIFO,
 * symlink loops, unreadable files) beside a folder of good agents. loadCatalog must account
 * for every hostile entry — served, or skipped with its reason — never hang, and keep serving
 * the good agents exactly as it does alone. Also: a file deleted between listing and reading,
 * and agent folders that vanish and return while watched.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/agents/catalog.js';
import { loadAgentFile } from '../../src/agents/load-file.js';
import { loadRecords } from '../../src/agents/scan.js';
import { watchCatalog, type CatalogWatcher } from '../../src/agents/watch.js';
import { goodAgent } from './agent-file-mutations.js';
import { PERMISSIONS_APPLY, writeGoodFolder, writeHostileFolder, type HostileEntry } from './hostile-folder.js';
import { expectWellFormed, OutcomeTally } from './load-outcomes.js';

/** Fuzzed files written to disk (the bulk of the campaign runs in process: loader-fuzz.test.ts). */
const FUZZED_ON_DISK = 300;
const GOOD_COUNT = 20;

let root: string;
let goodDir: string;
let hostileDir: string;
let goodNames: string[];
let entries: HostileEntry[];
let alone: Catalog;
let mixed: Catalog;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'reliability-loader-'));
  goodDir = path.join(root, 'good');
  hostileDir = path.join(root, 'hostile');
  goodNames = await writeGoodFolder(goodDir, GOOD_COUNT);
  entries = await writeHostileFolder(hostileDir, { fuzzedCount: FUZZED_ON_DISK, seed: 20_260_902 });
  alone = await loadCatalog([goodDir]);
  mixed = await loadCatalog([goodDir, hostileDir]);
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadCatalog over a folder of hostile entries', () => {
  it('keeps serving every good agent exactly as it does without them', () => {
    expect(alone.agents.map((a) => a.toolName)).toEqual(goodNames);
    for (const agent of alone.agents) expect(mixed.byToolName.get(agent.toolName)).toEqual(agent);
  });

  it('accounts for every hostile entry once: served, or skipped with a reason', () => {
    const served = new Set(mixed.agents.map((a) => a.file));
    const skipped = new Map(mixed.skipped.map((s) => [s.file, s]));
    for (const { file, outcome } of entries) {
      const where = [served.has(file) ? 'served' : undefined, skipped.has(file) ? 'skipped' : undefined].filter(Boolean);
      expect(where, file).toHaveLength(1);
      if (outcome === 'served') expect(served.has(file), file).toBe(true);
      else if (outcome instanceof RegExp) expect(skipped.get(file)?.reason, file).toMatch(outcome);
    }
    // The symlinked folder is neither followed nor mistaken for a file.
    const linked = path.join(hostileDir, 'linked-folder.md');
    expect(served.has(linked) || skipped.has(linked)).toBe(false);
    const servedHostile = mixed.agents.filter((a) => a.file.startsWith(hostileDir)).length;
    console.info(`loader on disk: ${entries.length} hostile entries (${FUZZED_ON_DISK} fuzzed) beside ${GOOD_COUNT} good agents; served ${servedHostile}, skipped ${mixed.skipped.length}`);
  });

  it('loads each fuzzed file alone into a well-formed result', async () => {
    const tally = new OutcomeTally();
    for (const { file, outcome } of entries.filter((e) => e.outcome === 'any')) {
      const result = await loadAgentFile(file);
      expectWellFormed(result, file, await readFile(file, 'utf8'));
      tally.add(result);
      expect(outcome).toBe('any');
    }
    console.info(tally.summary('fuzzed files loaded from disk', 6));
    expect(tally.total).toBe(FUZZED_ON_DISK);
  });

  it.runIf(PERMISSIONS_APPLY)('skips a file without read permission, naming EACCES', () => {
    expect(mixed.skipped.find((s) => s.file.endsWith('unreadable.md'))?.reason).toMatch(/EACCES/);
  });
});

describe('files and folders that change under the loader', () => {
  it('skips a file deleted between listing and reading, and loads the rest', async () => {
    const dir = path.join(root, 'racing');
    await mkdir(dir);
    const kept = path.join(dir, 'kept.md');
    const deleted = path.join(dir, 'deleted.md');
    await writeFile(kept, goodAgent('kept'));
    await writeFile(deleted, goodAgent('deleted'));
    const listed = [kept, deleted];
    await rm(deleted);
    const records = await loadRecords(listed, [dir], 2);
    expect(records.map((r) => [path.basename(r.file), r.result.kind])).toEqual([
      ['kept.md', 'agent'],
      ['deleted.md', 'skipped'],
    ]);
    expect(records[1]?.result).toMatchObject({ reason: expect.stringMatching(/ENOENT/) });
  });

  // A folder deleted once while watched, and coming back, is src/agents/watch.test.ts
  // ("survives the folder vanishing and notices it coming back"); this repeats it quickly.
  describe('watched folders', () => {
    let watcher: CatalogWatcher | undefined;
    afterAll(async () => {
      await watcher?.close();
    });

    async function watchUntil(dirs: string[]): Promise<(predicate: (c: Catalog) => boolean) => Promise<Catalog>> {
      let waiters: Array<{ predicate: (c: Catalog) => boolean; resolve: (c: Catalog) => void }> = [];
      await watcher?.close();
      watcher = await watchCatalog(dirs, {
        debounceMs: 20,
        onChange: (catalog) => {
          const ready = waiters.filter((w) => w.predicate(catalog));
          waiters = waiters.filter((w) => !ready.includes(w));
          for (const w of ready) w.resolve(catalog);
        },
      });
      return (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve }));
    }

    it('follows a folder deleted and recreated ten times in a row, each time at once', async () => {
      const dir = path.join(root, 'flapping');
      await mkdir(dir);
      await writeFile(path.join(dir, 'a0.md'), goodAgent('a0'));
      const until = await watchUntil([dir]);
      for (let i = 1; i <= 10; i++) {
        const emptied = until((c) => c.agents.length === 0);
        await rm(dir, { recursive: true });
        expect((await emptied).skipped).toEqual([{ file: dir, broken: true, reason: 'folder not found' }]);
        const back = until((c) => c.byToolName.has(`a${i}`));
        await mkdir(dir);
        await writeFile(path.join(dir, `a${i}.md`), goodAgent(`a${i}`));
        expect((await back).agents.map((a) => a.toolName)).toEqual([`a${i}`]);
      }
    });

    it('picks up a folder that did not exist when watching began', async () => {
      const dir = path.join(root, 'later');
      const until = await watchUntil([dir]);
      expect(watcher?.current().skipped).toEqual([{ file: dir, broken: true, reason: 'folder not found' }]);
      const appeared = until((c) => c.byToolName.has('late'));
      await mkdir(dir);
      await writeFile(path.join(dir, 'late.md'), goodAgent('late'));
      expect((await appeared).skipped).toEqual([]);
    });

    it('reports a FIFO dropped into a watched folder without blocking on it', async () => {
      const dir = path.join(root, 'fifo-watch');
      await mkdir(dir);
      await writeFile(path.join(dir, 'ok.md'), goodAgent('ok'));
      const until = await watchUntil([dir]);
      const seen = until((c) => c.skipped.some((s) => s.file.endsWith('pipe.md')) && c.byToolName.has('after'));
      execFileSync('mkfifo', [path.join(dir, 'pipe.md')]);
      await writeFile(path.join(dir, 'after.md'), goodAgent('after'));
      const catalog = await seen;
      expect(catalog.skipped.find((s) => s.file.endsWith('pipe.md'))?.reason).toBe('not a regular file');
      expect(catalog.agents.map((a) => a.toolName)).toEqual(['after', 'ok']);
    });
  });
});
