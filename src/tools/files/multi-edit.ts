/**
 * MultiEdit: several Edit replacements on one file, applied in order, all or nothing (Claude Code
 * 1.0's tool, still listed by many agent files).
 */
import { z } from 'zod';
import { applyEdits, snippetAroundChange } from './apply-edits.js';
import { defineTool } from '../define-tool.js';
import { editFile } from './edit-file.js';
import type { LocalTool } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';
import { MAX_WRITE_CHARS } from './write.js';

/** Most edits one MultiEdit call may carry. */
export const MAX_MULTI_EDITS = 100;

const multiEditInputSchema = z.object({
  file_path: z.string().min(1).max(MAX_PATH_CHARS).describe('The absolute path to the file to modify'),
  edits: z
    .array(
      z.object({
        old_string: z.string().max(MAX_WRITE_CHARS).describe('The text to replace'),
        new_string: z.string().max(MAX_WRITE_CHARS).describe('The text to replace it with'),
        replace_all: z.boolean().optional().describe('Replace all occurrences of old_string (default false)'),
      }),
    )
    .min(1)
    .max(MAX_MULTI_EDITS)
    .describe('Array of edit operations to perform sequentially on the file'),
});

/** Options of {@link createMultiEditTool}. */
export interface MultiEditToolOptions {
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `Makes multiple edits to a single file in one operation, confined to the workspace. Prefer it over Edit for several changes to one file.
- Each edit follows Edit's rules (old_string unique unless replace_all; new_string different).
- Edits are applied in sequence, each to the result of the previous one.
- The edits are atomic: if any edit fails, none are applied.
- You must Read the file first. To create a new file, give one first edit with an empty old_string.`;

/** Create the MultiEdit tool. */
export function createMultiEditTool(options: MultiEditToolOptions = {}): LocalTool {
  return defineTool({
    name: 'MultiEdit',
    description: DESCRIPTION,
    schema: multiEditInputSchema,
    kind: 'edit',
    execute: (input, ctx) =>
      editFile({
        toolName: 'MultiEdit',
        requestedPath: input.file_path,
        homeDir: options.homeDir,
        ctx,
        transform: (current) => applyEdits(current, input.edits),
        describeResult: (realPath, before, after) =>
          before === undefined
            ? `File created successfully at: ${realPath} (${input.edits.length} edit(s) applied)`
            : `Applied ${input.edits.length} edit(s) to ${realPath}. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippetAroundChange(before, after)}`,
      }),
  });
}
