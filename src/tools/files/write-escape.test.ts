/**
 * Escape attempts against the write tools: every trick below must be refused by Write, Edit,
 * MultiEdit and NotebookEdit, and afterwards nothing outside the workspace may have changed or
 * appeared. Hard links are covered too (a hard-linked file is never written in place).
 */
import { link, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestToolContext, resultText, type TestToolContext } from '../../../test/helpers/tool-context.js';
import { createEditTool } from './edit.js';
import { createMultiEditTool } from './multi-edit.js';
import { createNotebookEditTool } from './notebook-edit.js';
import { createReadTool } from './read.js';
import type { LocalTool } from '../tool.js';
import { createWriteTool } from './write.js';

const CANARY = 'OUTSIDE-CANARY';
const NOTEBOOK = JSON.stringify({ cells: [{ cell_type: 'code', id: 'c', metadata: {}, source: [CANARY], outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 });

let tmp: string;
let ws: string;
let outside: string;
let home: string;
let t: TestToolContext;

/** How each write tool takes a path. */
const WRITE_TOOLS: { name: string; create: (o: { homeDir: string }) => LocalTool; input: (p: string) => Record<string, unknown> }[] = [
  { name: 'Write', create: createWriteTool, input: (p) => ({ file_path: p, content: 'pwned' }) },
  { name: 'Edit', create: createEditTool, input: (p) => ({ file_path: p, old_string: CANARY, new_string: 'pwned' }) },
  { name: 'MultiEdit', create: createMultiEditTool, input: (p) => ({ file_path: p, edits: [{ old_string: CANARY, new_string: 'pwned' }] }) },
  { name: 'NotebookEdit', create: createNotebookEditTool, input: (p) => ({ notebook_path: p, cell_id: 'c', new_source: 'pwned' }) },
];

/** Paths that point outside; `{ws}`, `{tmp}`, `{out}` are filled in once the directories exist. */
const ESCAPES: [label: string, path: string][] = [
  ['parent directory file', '../outside/secret.txt'],
  ['parent notebook', '../outside/nb.ipynb'],
  ['many ..', '../../../../../../../../tmp/escape-created.txt'],
  ['absolute outside file', '{out}/secret.txt'],
  ['absolute new file outside', '{out}/created.txt'],
  ['absolute .. out of the root', '{ws}/../outside/secret.txt'],
  ['.. through a subdirectory', '{ws}/sub/../../outside/secret.txt'],
  ['doubled slashes', '{ws}//..//outside//secret.txt'],
  ['sibling sharing the prefix', '../ws-evil/secret.txt'],
  ['absolute sibling sharing the prefix', '{tmp}/ws-evil/new.txt'],
  ['symlink to an outside file', 'link-file'],
  ['symlink to an outside notebook', 'link-nb.ipynb'],
  ['new file inside a symlinked outside dir', 'link-dir/new.txt'],
  ['existing file inside a symlinked outside dir', 'link-dir/inner.txt'],
  ['new file in a new dir under a symlinked outside dir', 'link-dir/a/b/c.txt'],
  ['symlink chain ending outside', 'chain1'],
  ['relative symlink climbing out', 'sub/rel-out'],
  ['dir symlink then ..', 'link-dir/../secret.txt'],
  ['symlink to /', 'rootlink/tmp/escape-created.txt'],
  ['dangling symlink to a new outside file', 'dangling'],
  ['dangling symlink chain', 'dangling-chain'],
  ['file under a dangling dir symlink', 'dangling-dir/new.txt'],
  ['/proc/self/root', '/proc/self/root{out}/secret.txt'],
  ['/proc/self/cwd', '/proc/self/cwd/escape-created.txt'],
  ['/etc/passwd', '/etc/passwd'],
  ['/etc new file', '/etc/agents-mcp-escape'],
  ['/dev/null', '/dev/null'],
  ['home ~', '~/created.txt'],
  ['home ~/.ssh', '~/.ssh/authorized_keys'],
  ['home ~ then ..', '~/../outside/secret.txt'],
  ['hard link to an outside file', 'hardlink.txt'],
  ['hard link to an outside notebook', 'hardlink.ipynb'],
];

function fill(template: string): string {
  return template.replaceAll('{ws}', ws).replaceAll('{tmp}', tmp).replaceAll('{out}', outside);
}

/** Every file under `dir` with its content, to compare before and after. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out[full] = await readFile(full, 'utf8');
    }
  }
  return out;
}

let before: Record<string, string>;

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'write-escape-')));
  ws = path.join(tmp, 'ws');
  outside = path.join(tmp, 'outside');
  home = path.join(tmp, 'home');
  await mkdir(path.join(ws, 'sub'), { recursive: true });
  await mkdir(path.join(outside, 'dir'), { recursive: true });
  await mkdir(path.join(home, '.ssh'), { recursive: true });
  await mkdir(path.join(tmp, 'ws-evil'));
  for (const f of [path.join(outside, 'secret.txt'), path.join(outside, 'dir', 'inner.txt'), path.join(tmp, 'ws-evil', 'secret.txt'), path.join(home, '.ssh', 'authorized_keys')]) {
    await writeFile(f, `${CANARY}\n`);
  }
  await writeFile(path.join(outside, 'nb.ipynb'), NOTEBOOK);
  await symlink(path.join(outside, 'secret.txt'), path.join(ws, 'link-file'));
  await symlink(path.join(outside, 'nb.ipynb'), path.join(ws, 'link-nb.ipynb'));
  await symlink(path.join(outside, 'dir'), path.join(ws, 'link-dir'));
  await symlink('chain2', path.join(ws, 'chain1'));
  await symlink('link-file', path.join(ws, 'chain2'));
  await symlink('../../outside/secret.txt', path.join(ws, 'sub', 'rel-out'));
  await symlink('/', path.join(ws, 'rootlink'));
  await symlink(path.join(outside, 'not-yet.txt'), path.join(ws, 'dangling'));
  await symlink('dangling', path.join(ws, 'dangling-chain'));
  await symlink(path.join(outside, 'no-dir'), path.join(ws, 'dangling-dir'));
  await link(path.join(outside, 'secret.txt'), path.join(ws, 'hardlink.txt'));
  await link(path.join(outside, 'nb.ipynb'), path.join(ws, 'hardlink.ipynb'));
  before = { ...(await snapshot(outside)), ...(await snapshot(home)), ...(await snapshot(path.join(tmp, 'ws-evil'))) };
  t = createTestToolContext([ws]);
  // Read every target first, so a refusal can only come from confinement, never from "not read yet".
  const read = createReadTool({ homeDir: home });
  for (const [, template] of ESCAPES) await read.run({ file_path: fill(template) }, t.ctx);
});

afterAll(async () => {
  await t.end();
  await rm(tmp, { recursive: true, force: true });
  await rm('/tmp/escape-created.txt', { force: true });
});

describe('write tools refuse escape attempts', () => {
  it('lists at least 30 attempts', () => {
    expect(ESCAPES.length).toBeGreaterThanOrEqual(30);
  });

  for (const tool of WRITE_TOOLS) {
    describe(tool.name, () => {
      it.each(ESCAPES)('refuses %s (%j)', async (_label, template) => {
        const result = await tool.create({ homeDir: home }).run(tool.input(fill(template)), t.ctx);
        const text = resultText(result);
        expect(result.isError, text).toBe(true);
        expect(text).toMatch(/outside the workspace|hard links|is a directory|not a regular file/);
        expect(text).not.toContain('pwned');
      });
    });
  }

  it('left every outside file as it was, created nothing outside, and asked no permission', async () => {
    const after = { ...(await snapshot(outside)), ...(await snapshot(home)), ...(await snapshot(path.join(tmp, 'ws-evil'))) };
    expect(after).toEqual(before);
    await expect(readFile('/tmp/escape-created.txt')).rejects.toThrow(/ENOENT/);
    expect(t.requests).toEqual([]);
  });
});

describe('a target swapped for a symlink between the check and the write', () => {
  it('is not followed (O_NOFOLLOW): Write fails and the outside file is unchanged', async () => {
    const victim = path.join(outside, 'swap-victim.txt');
    await writeFile(victim, CANARY);
    const target = path.join(ws, 'swapped.txt');
    // The permission question sits between the path check and the open: a racing process swaps
    // the (not yet existing) target for a symlink to an outside file right then.
    const racing = createTestToolContext([ws], async () => {
      await symlink(victim, target);
      return { allowed: true };
    });
    try {
      const result = await createWriteTool({ homeDir: home }).run({ file_path: target, content: 'pwned' }, racing.ctx);
      expect(result.isError, resultText(result)).toBe(true);
      expect(resultText(result)).toMatch(/ELOOP|symbolic link/i);
      expect(await readFile(victim, 'utf8')).toBe(CANARY);
    } finally {
      await racing.end();
      await rm(victim, { force: true });
      await rm(target, { force: true });
    }
  });
});
