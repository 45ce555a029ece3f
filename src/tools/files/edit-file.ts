/**
 * The resolve → check freshness → change → ask → write sequence every writing tool (Write, Edit,
 * MultiEdit, NotebookEdit) follows, so each tool only says how the text changes.
 */
import type { EditOutcome } from './apply-edits.js';
import { formatChangeDiff } from './change-diff.js';
import { findStaleFileProblem, recordFileSeen } from './file-freshness.js';
import { readTextForEdit, resolveWriteTarget, writeTextNoFollow } from './file-write.js';
import { checkPermission } from '../permissions/check-permission.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';
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

/** The text an overwrite replaces, for the diff in the question; undefined when it cannot be shown as text. */
async function readForDiff(realPath: string, requestedPath: string): Promise<string | undefined> {
  try {
    return await readTextForEdit(realPath, requestedPath);
  } catch {
    return undefined;
  }
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
    preview: formatChangeDiff({ before: before ?? (target.exists ? await readForDiff(target.realPath, options.requestedPath) : undefined), after: outcome.content }),
  });
  if (refusal) return refusal;
  await writeTextNoFollow(ws, target, outcome.content);
  await recordFileSeen(ctx.scope, target.realPath);
  return textResult(options.describeResult(target.realPath, before, outcome.content, target.exists));
}
