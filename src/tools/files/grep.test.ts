import { mkdir, mkdtemp, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrepTool, splitGlobs } from './grep.js';
import { locateRipgrep } from './ripgrep.js';
import type { ToolContext, ToolResult } from '../tool.js';

let tmp: string;
let ws: string;
const grep = createGrepTool();

function ctx(): ToolContext {
  return { signal: new AbortController().signal, roots: [ws], runId: 'test' };
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

async function writeAged(rel: string, content: string, secondsAgo: number): Promise<void> {
  const file = path.join(ws, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  const t = new Date(Date.UTC(2024, 0, 1) - secondsAgo * 1000);
  await utimes(file, t, t);
}

const p = (rel: string): string => path.join(ws, rel);

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'grep-test-')));
  ws = path.join(tmp, 'ws');
  await mkdir(path.join(tmp, 'outside'));
  await writeFile(path.join(tmp, 'outside', 'canary.ts'), 'const needle = "outside";\n');
  await writeAged('a.ts', 'one\nconst needle = 1;\ntwo\nthree\nNEEDLE again\nfour\n', 300);
  await writeAged('b.py', 'needle = 2\n', 100);
  await writeAged('docs/c.md', '# Needle\ntext\n', 200);
  await writeAged('d.js', 'function start() {\n  return 1;\n}\n', 50);
  await writeAged('.hidden/h.ts', 'needle hidden\n', 400);
  await writeAged('.git/config', 'needle in git\n', 10);
  await writeAged('dash.txt', '-v is a flag\n', 500);
  await symlink(path.join(tmp, 'outside'), path.join(ws, 'out-link'));
  for (let i = 0; i < 30; i++) await writeAged(`many/m${String(i).padStart(2, '0')}.txt`, 'hit\nhit\n', 1000 + i);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('ripgrep binary', () => {
  it('is found (bundled by @vscode/ripgrep, or on PATH)', async () => {
    expect(await locateRipgrep()).toMatch(/rg(\.exe)?$/);
  });
});

describe('Grep', () => {
  it('lists matching files newest first by default, skipping .git and symlinks but searching hidden files', async () => {
    const result = await grep.run({ pattern: 'needle', path: ws, glob: '!many/**' }, ctx());
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe(['Found 3 files', p('b.py'), p('a.ts'), p('.hidden/h.ts')].join('\n'));
  });

  it('matches case-insensitively with -i', async () => {
    const text = textOf(await grep.run({ pattern: 'needle', '-i': true, glob: '*.md' }, ctx()));
    expect(text).toBe(`Found 1 file\n${p('docs/c.md')}`);
  });

  it('shows content lines with numbers by default, path-sorted', async () => {
    const text = textOf(await grep.run({ pattern: 'needle', output_mode: 'content', '-i': true, type: 'ts' }, ctx()));
    expect(text).toBe([`${p('.hidden/h.ts')}:1:needle hidden`, `${p('a.ts')}:2:const needle = 1;`, `${p('a.ts')}:5:NEEDLE again`].join('\n'));
  });

  it('omits line numbers with -n false', async () => {
    const text = textOf(await grep.run({ pattern: 'needle', output_mode: 'content', '-n': false, path: 'b.py' }, ctx()));
    expect(text).toBe(`${p('b.py')}:needle = 2`);
  });

  it('adds context with -A, -B and -C/context', async () => {
    const after = textOf(await grep.run({ pattern: 'const', output_mode: 'content', '-A': 1, path: 'a.ts' }, ctx()));
    expect(after).toBe(`${p('a.ts')}:2:const needle = 1;\n${p('a.ts')}-3-two`);
    const before = textOf(await grep.run({ pattern: 'const', output_mode: 'content', '-B': 1, path: 'a.ts' }, ctx()));
    expect(before).toBe(`${p('a.ts')}-1-one\n${p('a.ts')}:2:const needle = 1;`);
    const around = textOf(await grep.run({ pattern: 'three', output_mode: 'content', '-C': 1, path: 'a.ts' }, ctx()));
    expect(around).toBe(`${p('a.ts')}-3-two\n${p('a.ts')}:4:three\n${p('a.ts')}-5-NEEDLE again`);
    const viaContext = await grep.run({ pattern: 'three', output_mode: 'content', context: 1, path: 'a.ts' }, ctx());
    expect(textOf(viaContext)).toBe(around);
  });

  it('prints only the matched part with -o', async () => {
    const text = textOf(await grep.run({ pattern: 'ne+dle', output_mode: 'content', '-o': true, path: 'b.py' }, ctx()));
    expect(text).toBe(`${p('b.py')}:1:needle`);
  });

  it('counts matches per file with a total', async () => {
    const text = textOf(await grep.run({ pattern: 'needle', output_mode: 'count', '-i': true, glob: '*.{ts,py}' }, ctx()));
    expect(text).toBe(
      [`${p('.hidden/h.ts')}:1`, `${p('a.ts')}:2`, `${p('b.py')}:1`, '', 'Found 4 total occurrences across 3 files.'].join('\n'),
    );
  });

  it('filters by rg file type', async () => {
    expect(textOf(await grep.run({ pattern: 'needle', type: 'py' }, ctx()))).toBe(`Found 1 file\n${p('b.py')}`);
    expect(textOf(await grep.run({ pattern: 'return', type: 'js' }, ctx()))).toBe(`Found 1 file\n${p('d.js')}`);
  });

  it('reports an unknown file type as an error', async () => {
    const result = await grep.run({ pattern: 'x', type: 'nosuchtype' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Grep: .*unrecognized file type: nosuchtype/);
  });

  it('pages files_with_matches with head_limit and offset', async () => {
    const first = textOf(await grep.run({ pattern: 'hit', path: 'many', head_limit: 2 }, ctx()));
    expect(first).toBe(`Found 30 files\n${p('many/m00.txt')}\n${p('many/m01.txt')}\n(Showing 1-2 of 30; use offset=2 to see more.)`);
    const second = textOf(await grep.run({ pattern: 'hit', path: 'many', head_limit: 2, offset: 2 }, ctx()));
    expect(second).toBe(`Found 30 files\n${p('many/m02.txt')}\n${p('many/m03.txt')}\n(Showing 3-4 of 30; use offset=4 to see more.)`);
  });

  it('returns everything with head_limit 0', async () => {
    const text = textOf(await grep.run({ pattern: 'hit', path: 'many', head_limit: 0 }, ctx()));
    expect(text.split('\n')).toHaveLength(31);
  });

  it('pages content lines with head_limit and offset', async () => {
    const text = textOf(await grep.run({ pattern: 'hit', path: 'many', output_mode: 'content', head_limit: 3, offset: 1 }, ctx()));
    expect(text).toBe(
      [`${p('many/m00.txt')}:2:hit`, `${p('many/m01.txt')}:1:hit`, `${p('many/m01.txt')}:2:hit`, '', '(Showing results 2-4; more exist: use offset=4 to see them.)'].join('\n'),
    );
  });

  it('defaults head_limit to 250 lines in content mode', async () => {
    const bulk = Array.from({ length: 300 }, (_, i) => `row ${i}`).join('\n');
    await writeAged('bulk/rows.txt', bulk, 0);
    const text = textOf(await grep.run({ pattern: 'row', path: 'bulk', output_mode: 'content' }, ctx()));
    expect(text.split('\n').filter((l) => l.includes(':row '))).toHaveLength(250);
    expect(text).toMatch(/use offset=250 to see them/);
  });

  it('matches across lines with multiline', async () => {
    const without = textOf(await grep.run({ pattern: 'start\\(\\).*return', path: 'd.js' }, ctx()));
    expect(without).toBe('No files found');
    const text = textOf(
      await grep.run({ pattern: 'start\\(\\).*return', path: 'd.js', multiline: true, output_mode: 'content' }, ctx()),
    );
    expect(text).toBe(`${p('d.js')}:1:function start() {\n${p('d.js')}:2:  return 1;`);
  });

  it('treats a pattern starting with "-" as a pattern, not a flag', async () => {
    expect(textOf(await grep.run({ pattern: '-v', path: ws }, ctx()))).toBe(`Found 1 file\n${p('dash.txt')}`);
  });

  it('reports an invalid regex as an error', async () => {
    const result = await grep.run({ pattern: 'foo(' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Grep: regex parse error/);
  });

  it('says "No matches found" in content mode when nothing matches', async () => {
    expect(textOf(await grep.run({ pattern: 'zzz_nothing', output_mode: 'content' }, ctx()))).toBe('No matches found');
    expect(textOf(await grep.run({ pattern: 'zzz_nothing', output_mode: 'count' }, ctx()))).toBe('No matches found');
  });

  it('caps content output by characters', async () => {
    const small = createGrepTool({ maxOutputChars: 200 });
    const text = textOf(await small.run({ pattern: 'hit', path: 'many', output_mode: 'content', head_limit: 0 }, ctx()));
    expect(text.length).toBeLessThan(500);
    expect(text).toMatch(/more exist: use offset=\d+ to see them/);
  });

  it('kills rg and returns "cancelled" when the signal aborts mid-search', async () => {
    const slowRg = path.join(tmp, 'slow-rg.sh');
    await writeFile(slowRg, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const slow = createGrepTool({ locateRipgrep: () => Promise.resolve(slowRg) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await slow.run({ pattern: 'hit' }, { ...ctx(), signal: controller.signal });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Grep: cancelled' }], isError: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('returns an error when no ripgrep binary can be found', async () => {
    const noRg = createGrepTool({ locateRipgrep: () => Promise.resolve(undefined) });
    const result = await noRg.run({ pattern: 'x' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Grep: ripgrep is not available/);
  });

  it('splits glob lists Claude Code style', () => {
    expect(splitGlobs('*.ts, *.js *.{md,txt}')).toEqual(['*.ts', '*.js', '*.{md,txt}']);
    expect(splitGlobs(undefined)).toEqual([]);
  });
});
