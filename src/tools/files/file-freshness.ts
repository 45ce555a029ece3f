/**
 * Read before write, as Claude Code does: an existing file may be edited or overwritten only after
 * this run has read it (or written it), and only if nobody changed it since. That keeps an agent
 * from overwriting a file it has never seen, or clobbering a change made while it was working.
 *
 * What counts as "unchanged" is the size and modification time recorded at the read; a partial Read
 * (offset/limit) counts as a read, as in Claude Code.
 */
import { stat } from 'node:fs/promises';
import type { RunScope, RunScopeKey } from '../run-scope.js';
import { requireScope } from '../run-scope.js';

interface Seen {
  mtimeMs: number;
  size: number;
}

const SEEN_FILES: RunScopeKey<Map<string, Seen>> = { name: 'files seen', create: () => new Map() };

/** Note that the run has seen `realPath` as it is now (after a Read or a write). */
export async function recordFileSeen(scope: RunScope | undefined, realPath: string): Promise<void> {
  if (scope === undefined) return;
  const info = await stat(realPath);
  scope.get(SEEN_FILES).set(realPath, { mtimeMs: info.mtimeMs, size: info.size });
}

/**
 * Why `realPath` (an existing file) may not be written yet, or `undefined` when it may.
 * @throws MissingRunScopeError when the context has no run scope.
 */
export async function findStaleFileProblem(
  ctx: { scope?: RunScope | undefined },
  toolName: string,
  realPath: string,
): Promise<string | undefined> {
  const seen = requireScope(ctx, toolName).get(SEEN_FILES).get(realPath);
  if (seen === undefined) return 'File has not been read yet. Read it first before writing to it.';
  const info = await stat(realPath);
  if (info.mtimeMs !== seen.mtimeMs || info.size !== seen.size) {
    return 'File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.';
  }
  return undefined;
}
