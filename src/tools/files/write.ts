/**
 * Write: Claude Code's whole-file writer, confined to the workspace. Creates the file (and missing
 * directories) or replaces an existing one; replacing needs a Read of the file in this run first.
 */
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { editFile } from './edit-file.js';
import type { LocalTool } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';

/** Largest content Write (and each string of Edit) accepts, in characters. */
export const MAX_WRITE_CHARS = 10 * 1024 * 1024;

const writeInputSchema = z.object({
  file_path: z
    .string()
    .min(1)
    .max(MAX_PATH_CHARS)
    .describe('The absolute path to the file to write (must be absolute, not relative)'),
  content: z.string().max(MAX_WRITE_CHARS).describe('The content to write to the file'),
});

/** Options of {@link createWriteTool}. */
export interface WriteToolOptions {
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `Writes a file to the local filesystem, confined to the workspace.
- This tool will overwrite the existing file if there is one at the provided path.
- If this is an existing file, you MUST use the Read tool first to read the file's contents. This tool will fail if you did not read the file first.
- Missing parent directories are created.
- ALWAYS prefer editing existing files with Edit. NEVER write new files unless explicitly required.`;

/** Create the Write tool. */
export function createWriteTool(options: WriteToolOptions = {}): LocalTool {
  return defineTool({
    name: 'Write',
    description: DESCRIPTION,
    schema: writeInputSchema,
    kind: 'edit',
    execute: (input, ctx) =>
      editFile({
        toolName: 'Write',
        requestedPath: input.file_path,
        homeDir: options.homeDir,
        ctx,
        readCurrent: false,
        transform: () => ({ ok: true, content: input.content }),
        describeResult: (realPath, _before, _after, existed) =>
          existed ? `The file ${realPath} has been overwritten.` : `File created successfully at: ${realPath}`,
      }),
  });
}
