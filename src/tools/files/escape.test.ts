/**
 * Escape attempts: every path trick below must be refused by every file tool that takes a path,
 * and no tool may ever print the outside canary.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGlobTool } from './glob.js';
import { createGrepTool } from './grep.js';
import { createLsTool } from './ls.js';
import { createReadTool } from './read.js';
import type { LocalTool, ToolContext, ToolResult } from '../tool.js';

const CANARY = 'TOP-SECRET-CANARY';

let tmp: string;
let ws: string;
let outside: string;
let home: string;

const options = (): { homeDir: string } => ({ homeDir: home });

function ctx(): ToolContext {
  return { signal: new AbortController().signal, roots: [ws], runId: 'escape-test' };
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

/** How a tool passes a path: Read via file_path, LS via path, Glob/Grep via path plus a pattern. */
const PATH_TOOLS: { name: string; create: (o: { homeDir: string }) => LocalTool; input: (p: string) => Record<string, unknown> }[] = [
  { name: 'Read', create: createReadTool, input: (p) => ({ file_path: p }) },
  { name: 'LS', create: createLsTool, input: (p) => ({ path: p }) },
  { name: 'Glob', create: createGlobTool, input: (p) => ({ pattern: '**/*', path: p }) },
  { name: 'Grep', create: createGrepTool, input: (p) => ({ pattern: 'SECRET|root', path: p, output_mode: 'content' }) },
];

type Expect = 'outside' | 'nul' | 'literal';

/** Paths are templates: {ws}, {tmp}, {out} are filled in once the directories exist. */
const PATH_CASES: [label: string, path: string, expected: Expect][] = [
  ['parent directory', '..', 'outside'],
  ['grandparent', '../..', 'outside'],
  ['sibling via ..', '../outside/secret.txt', 'outside'],
  ['many ..', '../../../../../../../../../../etc/passwd', 'outside'],
  ['absolute /etc/passwd', '/etc/passwd', 'outside'],
  ['absolute /etc/ with trailing slash', '/etc/', 'outside'],
  ['filesystem root', '/', 'outside'],
  ['absolute outside file', '{out}/secret.txt', 'outside'],
  ['absolute .. out of the root', '{ws}/../outside/secret.txt', 'outside'],
  ['.. through a real subdirectory', '{ws}/sub/../../outside/secret.txt', 'outside'],
  ['dot segments and .. ', '{ws}/./sub/./../../outside', 'outside'],
  ['doubled slashes', '{ws}//..//outside//secret.txt', 'outside'],
  ['sibling sharing the root as prefix', '../ws-evil/secret.txt', 'outside'],
  ['absolute sibling sharing the prefix', '{tmp}/ws-evil', 'outside'],
  ['symlink to an outside file', 'link-file', 'outside'],
  ['symlink to an outside dir', 'link-dir', 'outside'],
  ['file inside a symlinked outside dir', 'link-dir/inner.txt', 'outside'],
  ['symlinked outside dir with trailing slash', 'link-dir/', 'outside'],
  ['symlinked outside dir with ./', 'link-dir/./inner.txt', 'outside'],
  ['symlink chain ending outside', 'chain1', 'outside'],
  ['relative symlink climbing out', 'sub/rel-out', 'outside'],
  ['dir symlink then ..', 'link-dir/../secret.txt', 'outside'],
  ['symlink to /', 'rootlink/etc/passwd', 'outside'],
  ['symlink to / itself', 'rootlink', 'outside'],
  ['symlink to /proc/self/root', 'proc-link/etc/passwd', 'outside'],
  ['dangling symlink pointing outside', 'dangling', 'outside'],
  ['/proc/self/root', '/proc/self/root/etc/passwd', 'outside'],
  ['/proc/self/cwd (cwd is outside)', '/proc/self/cwd', 'outside'],
  ['/proc/self/cwd/…', '/proc/self/cwd/package.json', 'outside'],
  ['/proc/self/environ', '/proc/self/environ', 'outside'],
  ['/proc/self/fd/0', '/proc/self/fd/0', 'outside'],
  ['/dev/zero', '/dev/zero', 'outside'],
  ['home ~', '~', 'outside'],
  ['home ~/.ssh', '~/.ssh/id_rsa', 'outside'],
  ['home ~ then ..', '~/../../etc/passwd', 'outside'],
  ['outside file with trailing slash', '{ws}/../outside/secret.txt/', 'outside'],
  ['outside dir with trailing slash', '../outside/', 'outside'],
  ['trailing /. on an outside dir', '../outside/.', 'outside'],
  ['NUL byte in name', 'secret.txt\0.png', 'nul'],
  ['NUL byte alone', '\0', 'nul'],
  ['NUL byte before ..', '{ws}/\0/../../etc/passwd', 'nul'],
  ['NUL byte in absolute outside path', '/etc/passwd\0', 'nul'],
  ['percent-encoded ..', '%2e%2e/outside/secret.txt', 'literal'],
  ['percent-encoded slashes', '..%2f..%2fetc%2fpasswd', 'literal'],
  ['double-encoded', '%252e%252e/outside', 'literal'],
  ['backslash ..', '\\..\\outside\\secret.txt', 'literal'],
  ['backslash .. windows style', '..\\..\\etc\\passwd', 'literal'],
  ['~user is a literal name', '~root/.ssh', 'literal'],
  ['file:// URL', 'file:///etc/passwd', 'literal'],
];

/** Glob patterns that reach outside, run with no path (cwd = workspace root). */
const GLOB_PATTERN_CASES: string[] = [
  '../*',
  '../**/*',
  '../outside/*.txt',
  '/**/*',
  '/etc/*',
  '{out}/*',
  '**/../../*',
  '*/../../outside/*',
  'sub/../../outside/*',
  '{..,x}/*',
  'link-dir/*',
  'link-dir/**',
  'rootlink/etc/*',
  '/proc/self/root/etc/*',
  '~/*',
];

function fill(template: string): string {
  return template.replaceAll('{ws}', ws).replaceAll('{tmp}', tmp).replaceAll('{out}', outside);
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'escape-test-')));
  ws = path.join(tmp, 'ws');
  outside = path.join(tmp, 'outside');
  home = path.join(tmp, 'home');
  await mkdir(path.join(ws, 'sub'), { recursive: true });
  await mkdir(path.join(ws, 'inner-dir'), { recursive: true });
  await mkdir(path.join(outside, 'dir'), { recursive: true });
  await mkdir(path.join(home, '.ssh'), { recursive: true });
  await mkdir(path.join(tmp, 'ws-evil'));
  for (const file of [path.join(outside, 'secret.txt'), path.join(outside, 'dir', 'inner.txt'), path.join(tmp, 'ws-evil', 'secret.txt'), path.join(home, '.ssh', 'id_rsa'), path.join(outside, 'dir', 'secret.txt')]) {
    await writeFile(file, `${CANARY}\n`);
  }
  await writeFile(path.join(ws, 'a.txt'), 'inside content\n');
  await writeFile(path.join(ws, 'inner-dir', 'b.txt'), 'inner content\n');
  await symlink(path.join(outside, 'secret.txt'), path.join(ws, 'link-file'));
  await symlink(path.join(outside, 'dir'), path.join(ws, 'link-dir'));
  await symlink('chain2', path.join(ws, 'chain1'));
  await symlink(path.join(ws, 'chain3'), path.join(ws, 'chain2'));
  await symlink('link-file', path.join(ws, 'chain3'));
  await symlink('../../outside/secret.txt', path.join(ws, 'sub', 'rel-out'));
  await symlink('/', path.join(ws, 'rootlink'));
  await symlink('/proc/self/root', path.join(ws, 'proc-link'));
  await symlink(path.join(outside, 'not-yet'), path.join(ws, 'dangling'));
  // Symlinks that stay inside.
  await symlink('a.txt', path.join(ws, 'good-link'));
  await symlink(path.join(ws, 'inner-dir'), path.join(ws, 'good-dir-link'));
  await symlink('good-link', path.join(ws, 'good-chain'));
  await symlink('.', path.join(ws, 'self-link'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('escape attempts through path arguments', () => {
  it('lists at least 30 attempts', () => {
    expect(PATH_CASES.length + GLOB_PATTERN_CASES.length).toBeGreaterThanOrEqual(30);
    expect(PATH_CASES.filter(([, , e]) => e === 'outside').length).toBeGreaterThanOrEqual(30);
  });

  for (const tool of PATH_TOOLS) {
    describe(tool.name, () => {
      it.each(PATH_CASES)('refuses %s (%j)', async (_label, template, expected) => {
        const result = await tool.create(options()).run(tool.input(fill(template)), ctx());
        const text = textOf(result);
        expect(result.isError, text).toBe(true);
        expect(text).not.toContain(CANARY);
        expect(text).not.toContain('root:x:0:0');
        expect(text.startsWith(`${tool.name}: `), text).toBe(true);
        if (expected === 'outside') expect(text).toContain('outside the workspace');
        if (expected === 'nul') expect(text).toContain('NUL byte');
        // A literal name stays inside the workspace, where no such file exists.
        if (expected === 'literal') expect(text).toMatch(/does not exist$/);
      });
    });
  }
});

describe('escape attempts through Glob patterns', () => {
  it.each(GLOB_PATTERN_CASES)('Glob refuses pattern %j', async (template) => {
    const result = await createGlobTool(options()).run({ pattern: fill(template) }, ctx());
    const text = textOf(result);
    expect(result.isError, text).toBe(true);
    expect(text).toContain('outside the workspace');
    expect(text).not.toContain(CANARY);
  });

  it('Glob over the whole workspace lists nothing reached through outside symlinks', async () => {
    const text = textOf(await createGlobTool(options()).run({ pattern: '**/*' }, ctx()));
    expect(text.split('\n').sort()).toEqual([path.join(ws, 'a.txt'), path.join(ws, 'inner-dir', 'b.txt')]);
  });
});

describe('escape attempts through Grep filters', () => {
  it.each(['../**', '/**', '**/../**', '{out}/**'])('a glob filter %j cannot widen the search', async (template) => {
    const result = await createGrepTool(options()).run({ pattern: CANARY, glob: fill(template) }, ctx());
    expect(textOf(result)).toBe('No files found');
  });

  it('a search of the workspace does not follow symlinks out of it', async () => {
    const result = await createGrepTool(options()).run({ pattern: CANARY, output_mode: 'content' }, ctx());
    expect(textOf(result)).toBe('No matches found');
  });
});

describe('symlinks that stay inside the workspace', () => {
  it.each([
    ['file symlink', 'good-link'],
    ['symlink chain', 'good-chain'],
    ['symlink to the root, then a file', 'self-link/a.txt'],
    ['.. that stays inside', 'sub/../a.txt'],
    ['dir symlink then ..', 'good-dir-link/../a.txt'],
  ])('Read follows a %s (%s)', async (_label, p) => {
    const result = await createReadTool(options()).run({ file_path: p }, ctx());
    expect(textOf(result)).toBe('     1\tinside content');
  });

  it('LS, Glob and Grep accept a directory symlink that stays inside', async () => {
    expect(textOf(await createLsTool(options()).run({ path: 'good-dir-link' }, ctx()))).toBe(
      `- ${path.join(ws, 'inner-dir')}/\n  - b.txt`,
    );
    expect(textOf(await createGlobTool(options()).run({ pattern: '*.txt', path: 'good-dir-link' }, ctx()))).toBe(
      path.join(ws, 'inner-dir', 'b.txt'),
    );
    expect(textOf(await createGrepTool(options()).run({ pattern: 'inner', path: 'good-dir-link' }, ctx()))).toBe(
      `Found 1 file\n${path.join(ws, 'inner-dir', 'b.txt')}`,
    );
  });
});
