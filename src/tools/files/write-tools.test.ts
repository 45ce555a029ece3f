/** Write, Edit and MultiEdit against real files in a temporary workspace. */
import { link, mkdtemp, readFile, realpath, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestToolContext, resultText, type TestToolContext } from '../../../test/helpers/tool-context.js';
import { createEditTool } from './edit.js';
import { createMultiEditTool } from './multi-edit.js';
import { createReadTool } from './read.js';
import { createWriteTool } from './write.js';

let ws: string;
let t: TestToolContext;
const read = createReadTool();
const write = createWriteTool();
const edit = createEditTool();
const multiEdit = createMultiEditTool();

beforeEach(async () => {
  ws = await realpath(await mkdtemp(path.join(tmpdir(), 'write-tools-')));
  t = createTestToolContext([ws]);
});
afterEach(async () => {
  await t.end();
  await rm(ws, { recursive: true, force: true });
});

const file = (name: string): string => path.join(ws, name);
const contentOf = (name: string): Promise<string> => readFile(file(name), 'utf8');
async function readFirst(name: string): Promise<void> {
  const result = await read.run({ file_path: file(name) }, t.ctx);
  expect(result.isError, resultText(result)).toBeUndefined();
}

describe('Write', () => {
  it('creates a new file and its missing directories without a prior Read', async () => {
    const result = await write.run({ file_path: file('deep/er/new.txt'), content: 'hello\n' }, t.ctx);
    expect(resultText(result)).toBe(`File created successfully at: ${file('deep/er/new.txt')}`);
    expect(await contentOf('deep/er/new.txt')).toBe('hello\n');
    expect(t.requests).toEqual([{ kind: 'edit', tool: 'Write', path: file('deep/er/new.txt'), action: 'create', preview: '@@ -0,0 +1,1 @@\n+hello' }]);
  });

  it('refuses to overwrite an existing file that was not read in this run', async () => {
    await writeFile(file('old.txt'), 'keep me\n');
    const result = await write.run({ file_path: file('old.txt'), content: 'new' }, t.ctx);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toBe('Write: File has not been read yet. Read it first before writing to it.');
    expect(await contentOf('old.txt')).toBe('keep me\n');
    expect(t.requests).toEqual([]);
  });

  it('overwrites a file after a Read, and a second write needs no new Read', async () => {
    await writeFile(file('old.txt'), 'v1\n');
    await readFirst('old.txt');
    expect(resultText(await write.run({ file_path: file('old.txt'), content: 'v2\n' }, t.ctx))).toBe(`The file ${file('old.txt')} has been overwritten.`);
    expect(resultText(await write.run({ file_path: file('old.txt'), content: 'v3\n' }, t.ctx))).toContain('overwritten');
    expect(await contentOf('old.txt')).toBe('v3\n');
    expect(t.requests.map((r) => (r.kind === 'edit' ? r.action : r.kind))).toEqual(['overwrite', 'overwrite']);
    // The question shows what the overwrite changes, not the whole new file.
    expect(t.requests.map((r) => (r.kind === 'edit' ? r.preview : ''))).toEqual(['@@ -1,1 +1,1 @@\n-v1\n+v2', '@@ -1,1 +1,1 @@\n-v2\n+v3']);
  });

  it('refuses when the file changed on disk after the Read', async () => {
    await writeFile(file('moving.txt'), 'v1\n');
    await readFirst('moving.txt');
    await writeFile(file('moving.txt'), 'changed by someone else\n');
    const later = new Date(Date.now() + 5000);
    await utimes(file('moving.txt'), later, later);
    const result = await write.run({ file_path: file('moving.txt'), content: 'mine' }, t.ctx);
    expect(resultText(result)).toContain('File has been modified since read');
    expect(await contentOf('moving.txt')).toBe('changed by someone else\n');
  });

  it('writes nothing when permission is refused, and says why', async () => {
    const denied = createTestToolContext([ws], async () => ({ allowed: false, message: 'Write refused: the user did not approve this (declined).' }));
    const result = await write.run({ file_path: file('nope.txt'), content: 'x' }, denied.ctx);
    expect(result).toEqual({ content: [{ type: 'text', text: 'Write refused: the user did not approve this (declined).' }], isError: true });
    await expect(stat(file('nope.txt'))).rejects.toThrow(/ENOENT/);
    await denied.end();
  });

  it('refuses when the context carries no permission policy', async () => {
    const bare = createTestToolContext([ws], null);
    const result = await write.run({ file_path: file('nope.txt'), content: 'x' }, bare.ctx);
    expect(resultText(result)).toContain('no permission policy');
    await expect(stat(file('nope.txt'))).rejects.toThrow(/ENOENT/);
    await bare.end();
  });

  it('refuses a directory and a hard-linked file', async () => {
    expect(resultText(await write.run({ file_path: ws, content: 'x' }, t.ctx))).toContain('is a directory');
    await writeFile(file('a.txt'), 'a\n');
    await link(file('a.txt'), file('b.txt'));
    await readFirst('b.txt');
    const result = await write.run({ file_path: file('b.txt'), content: 'x' }, t.ctx);
    expect(resultText(result)).toContain('has 2 hard links');
    expect(await contentOf('a.txt')).toBe('a\n');
  });

  it('rejects input without content with a clear message', async () => {
    const result = await write.run({ file_path: file('x.txt') }, t.ctx);
    expect(resultText(result)).toBe('Write: content: required (expected string)');
  });
});

describe('Edit', () => {
  beforeEach(async () => {
    await writeFile(file('code.ts'), 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
  });

  it('replaces a unique string after a Read and shows the edited lines', async () => {
    await readFirst('code.ts');
    const result = await edit.run({ file_path: file('code.ts'), old_string: 'const b = 2;', new_string: 'const b = 3;' }, t.ctx);
    expect(result.isError).toBeUndefined();
    expect(resultText(result)).toContain('has been updated');
    expect(resultText(result)).toContain('     2\tconst b = 3;');
    expect(await contentOf('code.ts')).toBe('const a = 1;\nconst b = 3;\nconst a2 = 1;\n');
    expect(t.requests).toEqual([{ kind: 'edit', tool: 'Edit', path: file('code.ts'), action: 'edit', preview: expect.stringContaining('-const b = 2;\n+const b = 3;') as string }]);
  });

  it('refuses an edit of a file not read in this run', async () => {
    const result = await edit.run({ file_path: file('code.ts'), old_string: 'b', new_string: 'c' }, t.ctx);
    expect(resultText(result)).toBe('Edit: File has not been read yet. Read it first before writing to it.');
  });

  it('refuses an ambiguous old_string unless replace_all, then replaces every one', async () => {
    await readFirst('code.ts');
    const ambiguous = await edit.run({ file_path: file('code.ts'), old_string: '= 1;', new_string: '= 9;' }, t.ctx);
    expect(ambiguous.isError).toBe(true);
    expect(resultText(ambiguous)).toContain('Found 2 matches of the string to replace, but replace_all is false');
    expect(await contentOf('code.ts')).toBe('const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
    const all = await edit.run({ file_path: file('code.ts'), old_string: '= 1;', new_string: '= 9;', replace_all: true }, t.ctx);
    expect(all.isError).toBeUndefined();
    expect(await contentOf('code.ts')).toBe('const a = 9;\nconst b = 2;\nconst a2 = 9;\n');
  });

  it('says when old_string is missing, and when new_string equals old_string', async () => {
    await readFirst('code.ts');
    expect(resultText(await edit.run({ file_path: file('code.ts'), old_string: 'nowhere', new_string: 'x' }, t.ctx))).toBe(
      'Edit: String to replace not found in file.\nString: nowhere',
    );
    expect(resultText(await edit.run({ file_path: file('code.ts'), old_string: 'b', new_string: 'b' }, t.ctx))).toBe(
      'Edit: No changes to make: old_string and new_string are exactly the same.',
    );
    expect(t.requests).toEqual([]);
  });

  it('keeps `$&` in new_string literal and CRLF line ends intact', async () => {
    await writeFile(file('crlf.txt'), 'one\r\ntwo\r\nthree\r\n');
    await readFirst('crlf.txt');
    const result = await edit.run({ file_path: file('crlf.txt'), old_string: 'one\ntwo', new_string: 'uno $& dos\nzwei' }, t.ctx);
    expect(result.isError, resultText(result)).toBeUndefined();
    expect(await contentOf('crlf.txt')).toBe('uno $& dos\r\nzwei\r\nthree\r\n');
  });

  it('creates a missing file from an empty old_string', async () => {
    const result = await edit.run({ file_path: file('fresh.md'), old_string: '', new_string: '# New\n' }, t.ctx);
    expect(resultText(result)).toBe(`File created successfully at: ${file('fresh.md')}`);
    expect(await contentOf('fresh.md')).toBe('# New\n');
  });

  it('refuses to edit a binary file', async () => {
    await writeFile(file('blob.bin'), Buffer.from([1, 0, 2, 0]));
    await readFirst('code.ts');
    await read.run({ file_path: file('blob.bin') }, t.ctx);
    const result = await edit.run({ file_path: file('blob.bin'), old_string: 'a', new_string: 'b' }, t.ctx);
    expect(resultText(result)).toContain('not a text file');
  });
});

describe('MultiEdit', () => {
  beforeEach(async () => {
    await writeFile(file('m.txt'), 'alpha\nbeta\ngamma\n');
  });

  it('applies edits in sequence, each to the result of the last', async () => {
    await readFirst('m.txt');
    const result = await multiEdit.run(
      {
        file_path: file('m.txt'),
        edits: [
          { old_string: 'alpha', new_string: 'ALPHA' },
          { old_string: 'ALPHA\nbeta', new_string: 'ALPHA\nBETA' },
        ],
      },
      t.ctx,
    );
    expect(resultText(result)).toContain('Applied 2 edit(s)');
    expect(await contentOf('m.txt')).toBe('ALPHA\nBETA\ngamma\n');
    expect(t.requests).toHaveLength(1);
  });

  it('is all or nothing: a failing later edit leaves the file untouched and names the edit', async () => {
    await readFirst('m.txt');
    const result = await multiEdit.run(
      {
        file_path: file('m.txt'),
        edits: [
          { old_string: 'alpha', new_string: 'ALPHA' },
          { old_string: 'delta', new_string: 'DELTA' },
        ],
      },
      t.ctx,
    );
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain('Edit 2 of 2: String to replace not found');
    expect(resultText(result)).toContain('No edits were applied');
    expect(await contentOf('m.txt')).toBe('alpha\nbeta\ngamma\n');
    expect(t.requests).toEqual([]);
  });

  it('rejects an empty edit list', async () => {
    const result = await multiEdit.run({ file_path: file('m.txt'), edits: [] }, t.ctx);
    expect(resultText(result)).toBe('MultiEdit: edits: too few items: 0, at least 1 allowed');
  });
});
