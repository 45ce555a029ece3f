/**
 * The resolve → check freshness → change → ask → write sequence every writing tool (Write, Edit,
 * MultiEdit, NotebookEdit) follows, so each tool only says how the text changes.
 */
import { snippetAroundChange, type EditOutcome } from './apply-edits.js';
import { findStaleFileProblem, recordFileSeen } from './file-freshness.js';
import { readTextForEdit, resolveWriteTarget, writeTextNoFollow } from './file-write.js';
import { checkPermission } from './permission.js';
import type { ToolContext, ToolResult } from './tool.js';
import { textResult } from './tool.js';
import { createWorkspace } from './workspace.js';

/** What {@link editFile} needs. */
export interface EditFileOptions {
  toolName: string;
  requestedPath: string;
  homeDir: string | undefined;
  ctx: ToolContext;
  /**
   * The new text from the current one (`undefined` when the file does not exist yet, or when
   * `readCurrent` is false).
   */
  transform(current: string | undefined): EditOutcome;
  /** Load the current text for `transform` (refusing binary and huge files). Default true. */
  readCurrent?: boolean;
  /** The success message; `existed` says whether the file was there before. */
  describeResult(realPath: string, before: string | undefined, after: string, existed: boolean): string;
}

/** Most characters of a change shown when asking for approval. */
const MAX_PREVIEW_CHARS = 2000;

/** The changed lines with context, or the start of the new content, capped. */
function previewChange(before: string | undefined, after: string): string {
  const preview = before === undefined ? after : snippetAroundChange(before, after);
  return preview.length > MAX_PREVIEW_CHARS ? `${preview.slice(0, MAX_PREVIEW_CHARS)}\n…` : preview;
}

/**
 * Resolve the file inside the workspace, check it was read and is unchanged, compute the change,
 * ask permission, then write. Nothing is written when any step says no.
 */
export async function editFile(options: EditFileOptions): Promise<ToolResult> {
  const { toolName, ctx } = options;
  const ws = await createWorkspace(ctx.roots, { homeDir: options.homeDir });
  const target = await resolveWriteTarget(ws, options.requestedPath);
  let before: string | undefined;
  if (target.exists) {
    const stale = await findStaleFileProblem(ctx, toolName, target.realPath);
    if (stale !== undefined) return textResult(`${toolName}: ${stale}`, true);
    if (options.readCurrent !== false) before = await readTextForEdit(target.realPath, options.requestedPath);
  }
  const outcome = options.transform(before);
  if (!outcome.ok) return textResult(`${toolName}: ${outcome.message}`, true);
  const refusal = await checkPermission(ctx, {
    kind: 'edit',
    tool: toolName,
    path: target.realPath,
    action: !target.exists ? 'create' : options.readCurrent === false ? 'overwrite' : 'edit',
    preview: previewChange(before, outcome.content),
  });
  if (refusal) return refusal;
  await writeTextNoFollow(ws, target, outcome.content);
  await recordFileSeen(ctx.scope, target.realPath);
  return textResult(options.describeResult(target.realPath, before, outcome.content, target.exists));
}
