/**
 * Edit: Claude Code's exact string replacement in one file, confined to the workspace.
 * `old_string` must be unique unless `replace_all`; the file must have been read in this run.
 * An empty `old_string` on a file that does not exist creates it with `new_string`.
 */
import { z } from 'zod';
import { applyEdits, snippetAroundChange } from './apply-edits.js';
import { defineTool } from '../define-tool.js';
import { editFile } from './edit-file.js';
import type { LocalTool } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';
import { MAX_WRITE_CHARS } from './write.js';

const editInputSchema = z.object({
  file_path: z.string().min(1).max(MAX_PATH_CHARS).describe('The absolute path to the file to modify'),
  old_string: z.string().max(MAX_WRITE_CHARS).describe('The text to replace'),
  new_string: z.string().max(MAX_WRITE_CHARS).describe('The text to replace it with (must be different from old_string)'),
  replace_all: z.boolean().optional().describe('Replace all occurrences of old_string (default false)'),
});

/** Options of {@link createEditTool}. */
export interface EditToolOptions {
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `Performs exact string replacements in files, confined to the workspace.
- You must use the Read tool at least once in the conversation before editing. This tool will error if you attempt an edit without reading the file.
- When editing text from Read output, preserve the exact indentation as it appears AFTER the line number prefix (spaces + line number + tab). Never include any part of the line number prefix in old_string or new_string.
- The edit will FAIL if old_string is not unique in the file. Either provide a larger string with more surrounding context to make it unique or use replace_all to change every instance of old_string.
- Use replace_all for replacing and renaming strings across the file.`;

/** Create the Edit tool. */
export function createEditTool(options: EditToolOptions = {}): LocalTool {
  return defineTool({
    name: 'Edit',
    description: DESCRIPTION,
    schema: editInputSchema,
    kind: 'edit',
    execute: (input, ctx) =>
      editFile({
        toolName: 'Edit',
        requestedPath: input.file_path,
        homeDir: options.homeDir,
        ctx,
        transform: (current) => applyEdits(current, [input]),
        describeResult: (realPath, before, after) =>
          before === undefined
            ? `File created successfully at: ${realPath}`
            : `The file ${realPath} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippetAroundChange(before, after)}`,
      }),
  });
}
