import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLsTool, renderTree } from './ls.js';
import type { ToolContext, ToolResult } from '../tool.js';

let ws: string;
const ls = createLsTool();

function ctx(): ToolContext {
  return { signal: new AbortController().signal, roots: [ws], runId: 'test' };
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

beforeAll(async () => {
  ws = await realpath(await mkdtemp(path.join(tmpdir(), 'ls-test-')));
  for (const dir of ['src/lib', '.git/objects', 'node_modules/pkg', '__pycache__', 'logs']) {
    await mkdir(path.join(ws, dir), { recursive: true });
  }
  for (const file of ['README.md', 'src/index.ts', 'src/lib/util.ts', 'src/lib/util.test.ts', '.env', 'node_modules/pkg/index.js', 'logs/a.log', 'logs/b.txt']) {
    await writeFile(path.join(ws, file), 'x');
  }
  await symlink(path.join(ws, 'src'), path.join(ws, 'src-link'));
});

afterAll(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('LS', () => {
  it('lists a tree, skipping hidden entries and not expanding node_modules or following symlinks', async () => {
    const result = await ls.run({ path: ws }, ctx());
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe(
      [
        `- ${ws}/`,
        '  - README.md',
        '  - logs/',
        '    - a.log',
        '    - b.txt',
        '  - node_modules/',
        '  - src/',
        '    - index.ts',
        '    - lib/',
        '      - util.test.ts',
        '      - util.ts',
        '  - src-link',
      ].join('\n'),
    );
  });

  it('skips entries matching the ignore globs, by name or by relative path', async () => {
    const text = textOf(await ls.run({ path: ws, ignore: ['*.log', '**/*.test.ts', 'node_modules'] }, ctx()));
    expect(text).not.toMatch(/a\.log|util\.test\.ts|node_modules/);
    expect(text).toContain('b.txt');
    const noSrc = textOf(await ls.run({ path: ws, ignore: ['src'] }, ctx()));
    expect(noSrc).not.toContain('index.ts');
  });

  it('lists a relative subdirectory', async () => {
    expect(textOf(await ls.run({ path: 'src/lib' }, ctx()))).toBe(`- ${ws}/src/lib/\n  - util.test.ts\n  - util.ts`);
  });

  it('caps the number of entries breadth-first with a note', async () => {
    const capped = createLsTool({ maxEntries: 3 });
    const text = textOf(await capped.run({ path: ws }, ctx()));
    expect(text).toBe(
      `There are more than 3 entries under ${ws}; the first 3 are listed below. Use LS on a subdirectory, or Glob/Grep, to see more.\n\n` +
        `- ${ws}/\n  - README.md\n  - logs/\n  - node_modules/`,
    );
  });

  it('refuses a file and a missing path', async () => {
    const file = await ls.run({ path: 'README.md' }, ctx());
    expect(file).toEqual({ content: [{ type: 'text', text: 'LS: README.md is not a directory (use Read for files)' }], isError: true });
    const missing = await ls.run({ path: 'nope' }, ctx());
    expect(textOf(missing)).toBe('LS: nope does not exist');
  });

  it('renders nested entries in path order whatever the input order', () => {
    const tree = renderTree('/r', [
      { rel: 'b', isDir: false },
      { rel: 'a/z', isDir: false },
      { rel: 'a', isDir: true },
      { rel: 'a-b', isDir: false },
    ]);
    expect(tree).toBe('- /r/\n  - a/\n    - z\n  - a-b\n  - b');
  });
});
