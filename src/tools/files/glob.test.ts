import { mkdir, mkdtemp, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGlobTool } from './glob.js';
import type { ToolContext, ToolResult } from '../tool.js';

let tmp: string;
let ws: string;
const globTool = createGlobTool();

function ctx(): ToolContext {
  return { signal: new AbortController().signal, roots: [ws], runId: 'test' };
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

/** Write a file and give it an mtime `secondsAgo` in the past. */
async function writeAged(rel: string, secondsAgo: number): Promise<void> {
  const file = path.join(ws, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, rel);
  const t = new Date(Date.UTC(2024, 0, 1) - secondsAgo * 1000);
  await utimes(file, t, t);
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'glob-test-')));
  ws = path.join(tmp, 'ws');
  await mkdir(path.join(tmp, 'outside'), { recursive: true });
  await writeFile(path.join(tmp, 'outside', 'secret.ts'), 'secret');
  await writeAged('old.ts', 300);
  await writeAged('src/newest.ts', 10);
  await writeAged('src/middle.ts', 100);
  await writeAged('src/deep/er.ts', 200);
  await writeAged('src/readme.md', 50);
  await writeAged('.github/ci.ts', 20);
  await writeAged('.git/hooks/x.ts', 5);
  for (let i = 0; i < 120; i++) await writeAged(`many/f${String(i).padStart(3, '0')}.txt`, 1000 + i);
  await symlink(path.join(tmp, 'outside'), path.join(ws, 'out-link'));
  await symlink(path.join(ws, 'src'), path.join(ws, 'src-link'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('Glob', () => {
  it('returns absolute paths sorted newest first', async () => {
    const result = await globTool.run({ pattern: '**/*.ts' }, ctx());
    expect(result.isError).toBeUndefined();
    expect(textOf(result).split('\n')).toEqual([
      path.join(ws, 'src/newest.ts'),
      path.join(ws, 'src/middle.ts'),
      path.join(ws, 'src/deep/er.ts'),
      path.join(ws, 'old.ts'),
    ]);
  });

  it('searches under path and matches hidden directories only when the pattern names them', async () => {
    expect(textOf(await globTool.run({ pattern: '*.ts', path: 'src' }, ctx())).split('\n')).toEqual([
      path.join(ws, 'src/newest.ts'),
      path.join(ws, 'src/middle.ts'),
    ]);
    expect(textOf(await globTool.run({ pattern: '.github/*.ts' }, ctx()))).toBe(path.join(ws, '.github/ci.ts'));
    expect(textOf(await globTool.run({ pattern: '**/.git/**/*.ts' }, ctx()))).toBe('No files found');
    expect(textOf(await globTool.run({ pattern: '.git/**/*.ts' }, ctx()))).toBe(path.join(ws, '.git/hooks/x.ts'));
  });

  it('treats "undefined" and "null" path strings as omitted', async () => {
    const a = textOf(await globTool.run({ pattern: 'src/*.md', path: 'undefined' }, ctx()));
    expect(a).toBe(path.join(ws, 'src/readme.md'));
    expect(textOf(await globTool.run({ pattern: 'src/*.md', path: 'null' }, ctx()))).toBe(a);
  });

  it('caps results at 100 with a truncation note', async () => {
    const lines = textOf(await globTool.run({ pattern: 'many/*.txt' }, ctx())).split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe(path.join(ws, 'many/f000.txt'));
    expect(lines[99]).toBe(path.join(ws, 'many/f099.txt'));
    expect(lines[100]).toBe('(Results are truncated: showing 100 of 120 files. Consider using a more specific path or pattern.)');
  });

  it('says "No files found" when nothing matches', async () => {
    expect(textOf(await globTool.run({ pattern: '**/*.rs' }, ctx()))).toBe('No files found');
  });

  it('returns a plain (wildcard-free) pattern naming an existing file', async () => {
    expect(textOf(await globTool.run({ pattern: 'src/middle.ts' }, ctx()))).toBe(path.join(ws, 'src/middle.ts'));
    expect(textOf(await globTool.run({ pattern: 'src/none.ts' }, ctx()))).toBe('No files found');
  });

  it('does not follow symlinks while walking, so no outside file shows up', async () => {
    const text = textOf(await globTool.run({ pattern: '**/*' }, ctx()));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('src-link');
  });

  it('follows a symlinked base directory that stays inside', async () => {
    expect(textOf(await globTool.run({ pattern: 'src-link/*.md' }, ctx()))).toBe(path.join(ws, 'src/readme.md'));
  });

  it('refuses a path that is a file', async () => {
    const result = await globTool.run({ pattern: '*', path: 'old.ts' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Glob: path old.ts is not a directory');
  });
});
