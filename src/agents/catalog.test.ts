import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'agents-catalog-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Write `files` (relative path → content) under `root`. */
async function writeFiles(files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

const agent = (name: string, extra = ''): string => `---\nname: ${name}\ndescription: The ${name} agent.\n${extra}---\nYou are ${name}.\n`;

describe('loadCatalog', () => {
  it('loads .md files recursively, sorted by tool name, ignoring other files', async () => {
    await writeFiles({ 'a/zeta.md': agent('zeta'), 'b/c/alpha.md': agent('alpha'), 'notes.txt': agent('txt'), 'README.md': '# Agents\n\nDocs.' });
    const catalog = await loadCatalog([root]);
    expect(catalog.agents.map((a) => a.toolName)).toEqual(['alpha', 'zeta']);
    expect(catalog.byToolName.get('zeta')?.file).toBe(path.join(root, 'a/zeta.md'));
    expect(catalog.skipped).toEqual([expect.objectContaining({ file: path.join(root, 'README.md'), broken: false })]);
  });

  it('counts warnings over served agents', async () => {
    await writeFiles({ 'x.md': agent('x', 'tools: Read, Bogus, Nope\n') });
    expect((await loadCatalog([root])).warningCount).toBe(2);
  });

  it('lets the first folder win a duplicate tool name and names both paths', async () => {
    await writeFiles({ 'one/dup.md': agent('dup'), 'two/dup.md': agent('Dup') });
    const catalog = await loadCatalog([path.join(root, 'two'), path.join(root, 'one')]);
    expect(catalog.byToolName.get('dup')?.file).toBe(path.join(root, 'two/dup.md'));
    const loser = path.join(root, 'one/dup.md');
    expect(catalog.skipped).toEqual([{ file: loser, broken: false, reason: expect.stringContaining(path.join(root, 'two/dup.md')) }]);
    expect(catalog.skipped[0]?.reason).toContain(loser);
  });

  it('within a folder, lets the shorter path win, then the alphabetically first', async () => {
    await writeFiles({ 'deep/er/x.md': agent('x'), 'b.md': agent('x'), 'a.md': agent('x') });
    const catalog = await loadCatalog([root]);
    expect(catalog.byToolName.get('x')?.file).toBe(path.join(root, 'a.md'));
    expect(catalog.skipped.map((s) => path.relative(root, s.file))).toEqual(['b.md', 'deep/er/x.md']);
  });

  it('keeps loading when one file is broken', async () => {
    await writeFiles({ 'good.md': agent('good'), 'bad.md': '---\nname: -bad\ndescription: d\n---\n' });
    await writeFile(path.join(root, 'bin.md'), Buffer.from([0, 1, 2]));
    const catalog = await loadCatalog([root], { concurrency: 1 });
    expect(catalog.agents.map((a) => a.toolName)).toEqual(['good']);
    expect(catalog.skipped.map((s) => [path.basename(s.file), s.broken])).toEqual([
      ['bad.md', true],
      ['bin.md', true],
    ]);
  });

  it('reports a missing folder as broken and still loads the others', async () => {
    await writeFiles({ 'ok/a.md': agent('a') });
    const missing = path.join(root, 'missing');
    const catalog = await loadCatalog([missing, path.join(root, 'ok')]);
    expect(catalog.agents).toHaveLength(1);
    expect(catalog.skipped).toEqual([{ file: missing, broken: true, reason: 'folder not found' }]);
  });

  it('does not follow symlinked folders (no loops) but keeps symlinked files', async () => {
    await writeFiles({ 'agents/a.md': agent('a'), 'elsewhere/b.md': agent('b') });
    await symlink(root, path.join(root, 'agents/loop'));
    await symlink(path.join(root, 'elsewhere/b.md'), path.join(root, 'agents/b-link.md'));
    const catalog = await loadCatalog([path.join(root, 'agents')]);
    expect(catalog.agents.map((a) => a.toolName)).toEqual(['a', 'b']);
  });

  it('loads a file under two given folders once', async () => {
    await writeFiles({ 'outer/inner/a.md': agent('a') });
    const catalog = await loadCatalog([path.join(root, 'outer'), path.join(root, 'outer/inner')]);
    expect(catalog.agents).toHaveLength(1);
    expect(catalog.skipped).toEqual([]);
  });
});
