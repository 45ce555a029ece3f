/**
 * NotebookEdit: replace, insert or delete one cell of a Jupyter notebook (.ipynb), Claude Code's
 * schema. Cells are found by their `id` (nbformat 4.5+), or by position as `cell-N` / `N` (0-based)
 * for notebooks whose cells have no ids. The notebook must have been read in this run.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { EditOutcome } from './apply-edits.js';
import { defineTool } from '../define-tool.js';
import { editFile } from './edit-file.js';
import type { LocalTool } from '../tool.js';
import { formatIssue, MAX_PATH_CHARS } from '../tool-input.js';
import { MAX_WRITE_CHARS } from './write.js';

const notebookEditInputSchema = z.object({
  notebook_path: z.string().min(1).max(MAX_PATH_CHARS).describe('The absolute path to the Jupyter notebook file to edit'),
  cell_id: z
    .string()
    .max(200)
    .optional()
    .describe('The ID of the cell to edit. When inserting, the new cell goes after this cell, or at the beginning if not given'),
  new_source: z.string().max(MAX_WRITE_CHARS).describe('The new source for the cell'),
  cell_type: z.enum(['code', 'markdown']).optional().describe('The type of the cell. Required for edit_mode=insert'),
  edit_mode: z.enum(['replace', 'insert', 'delete']).optional().describe('The type of edit to make (replace, insert, delete). Defaults to replace'),
});

type NotebookEditInput = z.output<typeof notebookEditInputSchema>;

/** The parts of a notebook we touch; everything else is kept as it is. */
const notebookSchema = z.looseObject({
  cells: z.array(z.looseObject({ cell_type: z.string(), id: z.string().optional(), source: z.union([z.string(), z.array(z.string())]) })),
  nbformat: z.number().optional(),
  nbformat_minor: z.number().optional(),
});

type Notebook = z.output<typeof notebookSchema>;
type Cell = Notebook['cells'][number];

/** Options of {@link createNotebookEditTool}. */
export interface NotebookEditToolOptions {
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
  /** Cell ids for inserted cells; injected for tests. Default: 8 random hex characters. */
  newCellId?: () => string;
}

const DESCRIPTION = `Replaces, inserts or deletes one cell of a Jupyter notebook (.ipynb file), confined to the workspace.
- notebook_path must be an .ipynb file you have read with the Read tool in this conversation.
- cell_id is the cell's "id"; for notebooks without cell ids use cell-N (0-based position).
- edit_mode=insert adds a new cell after cell_id (at the start without cell_id) and needs cell_type.
- edit_mode=delete removes the cell. Replacing a code cell clears its outputs.`;

/** Create the NotebookEdit tool. */
export function createNotebookEditTool(options: NotebookEditToolOptions = {}): LocalTool {
  const newCellId = options.newCellId ?? (() => randomBytes(4).toString('hex'));
  return defineTool({
    name: 'NotebookEdit',
    description: DESCRIPTION,
    schema: notebookEditInputSchema,
    kind: 'edit',
    async execute(input, ctx) {
      return editFile({
        toolName: 'NotebookEdit',
        requestedPath: input.notebook_path,
        homeDir: options.homeDir,
        ctx,
        transform: (current) => {
          if (!input.notebook_path.endsWith('.ipynb')) return { ok: false, message: 'notebook_path must be a Jupyter notebook (.ipynb file); use Edit for other files.' };
          if (current === undefined) return { ok: false, message: `${input.notebook_path} does not exist; NotebookEdit edits existing notebooks.` };
          return editNotebookText(current, input, newCellId);
        },
        describeResult: (realPath) => describeEdit(input, realPath),
      });
    },
  });
}

function describeEdit(input: NotebookEditInput, realPath: string): string {
  const mode = input.edit_mode ?? 'replace';
  const cell = input.cell_id === undefined ? 'at the beginning' : `cell ${input.cell_id}`;
  if (mode === 'insert') return `Inserted a ${input.cell_type ?? 'code'} cell ${input.cell_id === undefined ? cell : `after ${cell}`} in ${realPath}.`;
  if (mode === 'delete') return `Deleted ${cell} of ${realPath}.`;
  return `Updated ${cell} of ${realPath}.`;
}

/** Apply one NotebookEdit to a notebook's JSON text; pure apart from new cell ids. */
export function editNotebookText(text: string, input: NotebookEditInput, newCellId: () => string): EditOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `the notebook is not valid JSON (${err instanceof Error ? err.message : String(err)}).` };
  }
  const parsed = notebookSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) return { ok: false, message: `the file is not a Jupyter notebook: ${parsed.error.issues.map(formatIssue).join('; ')}` };
  const notebook = parsed.data;
  const mode = input.edit_mode ?? 'replace';
  const index = input.cell_id === undefined ? undefined : findCell(notebook.cells, input.cell_id);
  if (input.cell_id !== undefined && index === undefined) {
    return { ok: false, message: `no cell with id "${input.cell_id}" (the notebook has ${notebook.cells.length} cells).` };
  }
  const cells = [...notebook.cells];
  if (mode === 'insert') {
    if (input.cell_type === undefined) return { ok: false, message: 'cell_type is required when edit_mode is insert.' };
    const withIds = (notebook.nbformat ?? 4) > 4 || ((notebook.nbformat ?? 4) === 4 && (notebook.nbformat_minor ?? 0) >= 5);
    cells.splice(index === undefined ? 0 : index + 1, 0, createCell(input.cell_type, input.new_source, withIds ? newCellId() : undefined));
  } else {
    if (index === undefined) return { ok: false, message: `cell_id is required when edit_mode is ${mode}.` };
    if (mode === 'delete') cells.splice(index, 1);
    else cells[index] = replaceCell(cells[index]!, input.new_source, input.cell_type);
  }
  // Jupyter writes one-space indented JSON with a final newline; keep diffs small by doing the same.
  return { ok: true, content: `${JSON.stringify({ ...notebook, cells }, null, 1)}\n` };
}

function findCell(cells: readonly Cell[], cellId: string): number | undefined {
  const byId = cells.findIndex((c) => c.id === cellId);
  if (byId !== -1) return byId;
  const position = /^(?:cell-)?(\d+)$/.exec(cellId);
  if (position === null) return undefined;
  const n = Number(position[1]);
  return n < cells.length ? n : undefined;
}

/** Jupyter stores source as lines, each but the last ending in a newline. */
function toSourceLines(source: string): string[] {
  return source === '' ? [] : source.split(/(?<=\n)/);
}

function createCell(cellType: 'code' | 'markdown', source: string, id: string | undefined): Cell {
  const base = { ...(id === undefined ? {} : { id }), cell_type: cellType, metadata: {}, source: toSourceLines(source) };
  return cellType === 'code' ? { ...base, execution_count: null, outputs: [] } : base;
}

function replaceCell(cell: Cell, source: string, cellType: 'code' | 'markdown' | undefined): Cell {
  const type = cellType ?? cell.cell_type;
  const { outputs: _outputs, execution_count: _count, ...rest } = cell;
  const updated: Cell = { ...rest, cell_type: type, source: toSourceLines(source) };
  // A changed code cell's old outputs no longer belong to it.
  return type === 'code' ? { ...updated, execution_count: null, outputs: [] } : updated;
}
