import { unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from './catalog.js';
import type { Problem } from './definition.js';
import { watchCatalog, type CatalogWatcher } from './watch.js';

let root: string;
let dir: string;
let watcher: CatalogWatcher | undefined;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'agents-watch-'));
  dir = path.join(root, 'agents');
  await mkdir(dir);
});
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await rm(root, { recursive: true, force: true });
});

const agent = (name: string, description = `The ${name} agent.`): string => `---\nname: ${name}\ndescription: ${description}\n---\nYou are ${name}.\n`;

/**
 * Start a watcher whose onChange feeds `until(predicate)`: a promise that resolves with the
 * first catalog (from now on) that satisfies the predicate. No sleeping: the test waits on
 * the callback itself, and the test timeout is the only clock.
 */
async function start(): Promise<{ until(predicate: (c: Catalog) => boolean): Promise<Catalog>; problems: Problem[] }> {
  let waiters: Array<{ predicate: (c: Catalog) => boolean; resolve: (c: Catalog) => void }> = [];
  const problems: Problem[] = [];
  watcher = await watchCatalog([dir], {
    debounceMs: 50,
    startDelayMs: 10,
    onChange: (catalog) => {
      const ready = waiters.filter((w) => w.predicate(catalog));
      waiters = waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(catalog);
    },
    onProblem: (problem) => problems.push(problem),
  });
  return { until: (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve })), problems };
}

describe('watchCatalog', () => {
  it('loads the folder before resolving', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a'));
    await start();
    expect(watcher?.current().agents.map((a) => a.toolName)).toEqual(['a']);
  });

  it('picks up an added, an edited and a removed file', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a'));
    const { until } = await start();

    const added = until((c) => c.byToolName.has('b'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub/b.md'), agent('b'));
    expect((await added).agents.map((a) => a.toolName)).toEqual(['a', 'b']);

    const edited = until((c) => c.byToolName.get('b')?.description === 'Edited.');
    await writeFile(path.join(dir, 'sub/b.md'), agent('b', 'Edited.'));
    const afterEdit = await edited;
    expect(watcher?.current()).toBe(afterEdit);

    const removed = until((c) => !c.byToolName.has('b'));
    await unlink(path.join(dir, 'sub/b.md'));
    expect((await removed).agents.map((a) => a.toolName)).toEqual(['a']);
  });

  it('publishes changes made the moment it resolves, while the watcher is still getting ready', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a'));
    await writeFile(path.join(dir, 'b.md'), agent('b'));
    const { until } = await start();
    // Synchronous writes: no event-loop turn passes, so the watcher cannot be ready yet.
    writeFileSync(path.join(dir, 'a.md'), agent('a', 'Edited early.'));
    unlinkSync(path.join(dir, 'b.md'));
    writeFileSync(path.join(dir, 'c.md'), agent('c'));
    const caughtUp = await until((c) => c.byToolName.get('a')?.description === 'Edited early.' && c.byToolName.has('c') && !c.byToolName.has('b'));
    expect(caughtUp.agents.map((a) => a.toolName)).toEqual(['a', 'c']);
  });

  it('re-reads only the changed file: other agents keep their objects', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a'));
    await writeFile(path.join(dir, 'b.md'), agent('b'));
    const { until } = await start();
    const before = watcher?.current().byToolName.get('a');
    const edited = until((c) => c.byToolName.get('b')?.description === 'New.');
    await writeFile(path.join(dir, 'b.md'), agent('b', 'New.'));
    expect((await edited).byToolName.get('a')).toBe(before);
  });

  it('keeps serving the last good version when an edit breaks a file, and says why', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, agent('a', 'Good.'));
    const { until, problems } = await start();

    const broken = until((c) => c.skipped.length > 0);
    await writeFile(file, '---\nname: a\n---\nno description now\n');
    const catalog = await broken;
    const served = catalog.byToolName.get('a');
    expect(served?.description).toBe('Good.');
    // The body is read on first use; the prompt below the broken front matter is still there.
    expect(served?.prompt).toBe('no description now');
    expect(served?.warnings).toEqual([expect.objectContaining({ code: 'stale-version', file, reason: expect.stringMatching(/no description/) })]);
    expect(catalog.skipped).toEqual([expect.objectContaining({ file, broken: true })]);
    expect(problems).toEqual([expect.objectContaining({ file, reason: expect.stringMatching(/no description/) })]);

    const fixed = until((c) => c.skipped.length === 0);
    await writeFile(file, agent('a', 'Fixed.'));
    const after = await fixed;
    expect(after.byToolName.get('a')).toMatchObject({ description: 'Fixed.', warnings: [] });
  });

  it('survives the folder vanishing and notices it coming back', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a'));
    const { until } = await start();

    const emptied = until((c) => c.agents.length === 0);
    await rm(dir, { recursive: true });
    const gone = await emptied;
    expect(gone.skipped).toEqual([expect.objectContaining({ file: dir, broken: true, reason: 'folder not found' })]);

    const back = until((c) => c.byToolName.has('c'));
    await mkdir(dir);
    await writeFile(path.join(dir, 'c.md'), agent('c'));
    expect((await back).skipped).toEqual([]);
  });

  it('close() resolves and current() keeps the last catalog', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a'));
    let calls = 0;
    watcher = await watchCatalog([dir], { onChange: () => void calls++ });
    await watcher.close();
    await writeFile(path.join(dir, 'late.md'), agent('late'));
    expect(calls).toBe(0);
    expect(watcher.current().agents.map((a) => a.toolName)).toEqual(['a']);
  });

  it('watches a folder that does not exist yet without failing', async () => {
    const missing = path.join(root, 'later');
    watcher = await watchCatalog([missing], { onChange: () => undefined });
    expect(watcher.current().skipped).toEqual([{ file: missing, broken: true, reason: 'folder not found' }]);
  });
});
