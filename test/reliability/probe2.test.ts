import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it, expect } from 'vitest';
import { watchCatalog } from '../../src/agents/watch.js';
import type { Catalog } from '../../src/agents/catalog.js';

it('folder vanishes and returns at once, many times', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'w-'));
  const dir = path.join(root, 'agents');
  await mkdir(dir);
  await writeFile(path.join(dir, 'a0.md'), '---\nname: a0\ndescription: d\n---\n');
  let waiters: Array<{ p: (c: Catalog) => boolean; r: () => void }> = [];
  const w = await watchCatalog([dir], { debounceMs: 20, onChange: (c) => { const ready = waiters.filter((x) => x.p(c)); waiters = waiters.filter((x) => !ready.includes(x)); ready.forEach((x) => x.r()); } });
  const until = (p: (c: Catalog) => boolean) => new Promise<void>((r) => waiters.push({ p, r }));
  for (let i = 1; i <= 15; i++) {
    const emptied = until((c) => c.agents.length === 0);
    await rm(dir, { recursive: true });
    await emptied;
    const back = until((c) => c.byToolName.has(`a${i}`));
    await mkdir(dir);
    await writeFile(path.join(dir, `a${i}.md`), `---\nname: a${i}\ndescription: d\n---\n`);
    await Promise.race([back, new Promise((_, rej) => setTimeout(() => rej(new Error(`cycle ${i} never came back`)), 5000))]);
  }
  await w.close();
  await rm(root, { recursive: true, force: true });
  expect(true).toBe(true);
}, 120000);
