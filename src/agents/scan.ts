/** Finding agent files in folders and loading them with bounded concurrency. */

import { readdir, stat } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import path from 'node:path';
import type { LoadResult } from './definition.js';
import { loadAgentFile } from './load-file.js';
import type { ParseCache } from './parse-cache.js';

/** How many files are read at once by default: enough to hide latency, few enough to spare file handles. */
export const DEFAULT_LOAD_CONCURRENCY = 32;

/** One file's outcome, with what is needed to rank duplicates. */
export interface FileRecord {
  /** Absolute path. */
  file: string;
  /** Index of the folder it came from in the list given (lower wins). */
  dirIndex: number;
  /** Path relative to that folder (shorter wins, then alphabetical). */
  relPath: string;
  result: LoadResult;
}

/** The `.md` files under a folder, or why the folder could not be listed. */
export type AgentFileListing = { ok: true; files: string[] } | { ok: false; reason: string };

/** Is this a file name we load? Only `.md`, as Claude Code does. */
export function isAgentFileName(file: string): boolean {
  return file.endsWith('.md');
}

/**
 * List `*.md` files under `dir`, recursively, as absolute sorted paths. Node's recursive
 * readdir does not descend into symlinked folders, so symlink loops cannot trap us; symlinked
 * files are kept when they point at a regular file. Other `.md` entries that are not folders
 * (dangling or looping symlinks, FIFOs, sockets) are listed too, so that loading reports why
 * they are skipped instead of dropping them unseen. A path that is itself an `.md` file lists
 * as that one file.
 */
export async function listAgentFiles(dir: string): Promise<AgentFileListing> {
  const root = path.resolve(dir);
  try {
    const info = await stat(root);
    if (info.isFile()) return isAgentFileName(root) ? { ok: true, files: [root] } : { ok: false, reason: 'not a folder or an .md file' };
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const files: string[] = [];
    for (const entry of entries) {
      if (!isAgentFileName(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile()) files.push(file);
      // A symlink to a folder is a folder we do not follow, not a file.
      else if (entry.isSymbolicLink()) {
        if (await stat(file).then((s) => !s.isDirectory(), () => true)) files.push(file);
      } else if (!entry.isDirectory()) files.push(file);
    }
    return { ok: true, files: files.sort() };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    return { ok: false, reason: code === 'ENOENT' ? 'folder not found' : `folder could not be read: ${String(error)}` };
  }
}

/** Run `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Which of `dirs` (absolute) holds `file`, first match wins; undefined when none does. */
export function locateInDirs(file: string, dirs: readonly string[]): { dirIndex: number; relPath: string } | undefined {
  for (const [dirIndex, dir] of dirs.entries()) {
    if (file === dir) return { dirIndex, relPath: path.basename(file) };
    // The common case, a file listed under the folder, without path.relative (costly at 3,000 files).
    if (file.startsWith(dir + path.sep) && !file.includes(`${path.sep}..${path.sep}`)) return { dirIndex, relPath: file.slice(dir.length + 1) };
    const relPath = path.relative(dir, file);
    if (relPath !== '' && relPath !== '..' && !relPath.startsWith(`..${path.sep}`) && !path.isAbsolute(relPath)) return { dirIndex, relPath };
  }
  return undefined;
}

/**
 * The longest stretch of file loading without a pause for other work. Loading is synchronous per
 * file (see load-file.ts), so without pauses a first start at 3,000 agents would hold the event
 * loop for seconds, and a client's `initialize` would wait for the whole catalog.
 */
const MAX_LOAD_SLICE_MSEC = 10;

/** Load the given files (absolute paths inside `dirs`) into records, `concurrency` at a time, through `cache` when given. */
export async function loadRecords(files: readonly string[], dirs: readonly string[], concurrency: number, cache?: ParseCache): Promise<FileRecord[]> {
  const located = files.flatMap((file) => {
    const where = locateInDirs(file, dirs);
    return where ? [{ file, ...where }] : [];
  });
  let sliceStart = performance.now();
  return mapWithConcurrency(located, concurrency, async (item) => {
    if (performance.now() - sliceStart > MAX_LOAD_SLICE_MSEC) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    return { ...item, result: await loadAgentFile(item.file, cache ? { cache } : {}) };
  });
}
