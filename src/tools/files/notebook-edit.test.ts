/** NotebookEdit against real .ipynb files. */
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestToolContext, resultText, type TestToolContext } from '../../../test/helpers/tool-context.js';
import { createNotebookEditTool } from './notebook-edit.js';
import { createReadTool } from './read.js';

let ws: string;
let nb: string;
let t: TestToolContext;
const tool = createNotebookEditTool({ newCellId: () => 'new-cell' });
const read = createReadTool();

const NOTEBOOK = {
  cells: [
    { cell_type: 'markdown', id: 'intro', metadata: {}, source: ['# Title\n', 'text'] },
    { cell_type: 'code', id: 'calc', metadata: { tags: ['x'] }, execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: ['2\n'] }], source: ['print(1 + 1)'] },
  ],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  nbformat: 4,
  nbformat_minor: 5,
};

interface SavedNotebook {
  cells: Array<Record<string, unknown>>;
  metadata: unknown;
}
const load = async (): Promise<SavedNotebook> => JSON.parse(await readFile(nb, 'utf8')) as SavedNotebook;

beforeEach(async () => {
  ws = await realpath(await mkdtemp(path.join(tmpdir(), 'notebook-')));
  nb = path.join(ws, 'analysis.ipynb');
  await writeFile(nb, JSON.stringify(NOTEBOOK, null, 1));
  t = createTestToolContext([ws]);
  await read.run({ file_path: nb }, t.ctx);
});
afterEach(async () => {
  await t.end();
  await rm(ws, { recursive: true, force: true });
});

describe('NotebookEdit', () => {
  it('replaces a code cell by id, clearing its outputs and keeping its metadata', async () => {
    const result = await tool.run({ notebook_path: nb, cell_id: 'calc', new_source: 'x = 2\nprint(x)' }, t.ctx);
    expect(resultText(result)).toBe(`Updated cell calc of ${nb}.`);
    const saved = await load();
    expect(saved.cells[1]).toEqual({ cell_type: 'code', id: 'calc', metadata: { tags: ['x'] }, source: ['x = 2\n', 'print(x)'], execution_count: null, outputs: [] });
    expect(saved.metadata).toEqual(NOTEBOOK.metadata);
    expect(t.requests).toEqual([{ kind: 'edit', tool: 'NotebookEdit', path: nb, action: 'edit', preview: expect.stringContaining('x = 2') as string }]);
  });

  it('inserts a cell after the given one, or at the start without cell_id', async () => {
    await tool.run({ notebook_path: nb, cell_id: 'intro', new_source: 'import os', cell_type: 'code', edit_mode: 'insert' }, t.ctx);
    await tool.run({ notebook_path: nb, new_source: 'First', cell_type: 'markdown', edit_mode: 'insert' }, t.ctx);
    const ids = (await load()).cells.map((c) => [c['id'], c['cell_type'], c['source']]);
    expect(ids).toEqual([
      ['new-cell', 'markdown', ['First']],
      ['intro', 'markdown', ['# Title\n', 'text']],
      ['new-cell', 'code', ['import os']],
      ['calc', 'code', ['print(1 + 1)']],
    ]);
  });

  it('deletes a cell, addressed by position when ids are not used', async () => {
    const result = await tool.run({ notebook_path: nb, cell_id: 'cell-0', new_source: '', edit_mode: 'delete' }, t.ctx);
    expect(result.isError).toBeUndefined();
    expect((await load()).cells.map((c) => c['id'])).toEqual(['calc']);
  });

  it('explains a missing cell, a missing cell_type for insert, and a non-notebook file', async () => {
    expect(resultText(await tool.run({ notebook_path: nb, cell_id: 'nope', new_source: 'x' }, t.ctx))).toBe(
      'NotebookEdit: no cell with id "nope" (the notebook has 2 cells).',
    );
    expect(resultText(await tool.run({ notebook_path: nb, new_source: 'x', edit_mode: 'insert' }, t.ctx))).toBe(
      'NotebookEdit: cell_type is required when edit_mode is insert.',
    );
    const plain = path.join(ws, 'notes.txt');
    await writeFile(plain, '{}');
    await read.run({ file_path: plain }, t.ctx);
    expect(resultText(await tool.run({ notebook_path: plain, cell_id: '0', new_source: 'x' }, t.ctx))).toContain('must be a Jupyter notebook');
    expect(t.requests).toEqual([]);
  });

  it('refuses a file that is not a notebook inside, leaving it as it was', async () => {
    await writeFile(nb, '{"cells": "no"}');
    await read.run({ file_path: nb }, t.ctx);
    const result = await tool.run({ notebook_path: nb, cell_id: '0', new_source: 'x' }, t.ctx);
    expect(resultText(result)).toContain('not a Jupyter notebook: cells: expected array');
    expect(await readFile(nb, 'utf8')).toBe('{"cells": "no"}');
  });
});
