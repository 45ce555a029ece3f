/**
 * What the write tools (Write, Edit, MultiEdit, NotebookEdit) share: judging the target path, reading
 * the current text, and writing without following a symlink swapped in after the check.
 *
 * Beyond the workspace rules (workspace.ts), writes refuse:
 * - directories, devices, FIFOs and sockets;
 * - files with more than one hard link: another name of the same inode may lie outside the
 *   workspace, and writing in place would change it there too. (Reads allow hard links, because
 *   package managers hard-link ordinary files into projects; writing through those would corrupt
 *   the package store, which is one more reason to refuse.)
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyFile } from './file-kind.js';
import type { Workspace } from './workspace.js';
import { WorkspacePathError, resolveInside } from './workspace.js';

/** Largest file an edit tool loads, in bytes. */
export const MAX_EDIT_FILE_BYTES = 10 * 1024 * 1024;

/** A path a write tool may write: its real path and whether a file is there now. */
export interface WriteTarget {
  realPath: string;
  exists: boolean;
}

/** The target is not a regular file, is hard-linked, is too big, or is binary. */
export class UnwritableFileError extends WorkspacePathError {}

/**
 * Resolve `requested` for writing.
 * @throws PathOutsideWorkspaceError, InvalidPathError (see resolveInside)
 * @throws UnwritableFileError for a directory, a special file or a hard-linked file.
 */
export async function resolveWriteTarget(ws: Workspace, requested: string): Promise<WriteTarget> {
  const realPath = await resolveInside(ws, requested);
  let info;
  try {
    info = await lstat(realPath);
  } catch (err) {
    if (isMissing(err)) return { realPath, exists: false };
    throw err;
  }
  if (info.isDirectory()) throw new UnwritableFileError(`${requested} is a directory, not a file`);
  if (!info.isFile()) throw new UnwritableFileError(`${requested} is not a regular file (device, FIFO or socket); refusing to write it`);
  if (info.nlink > 1) {
    throw new UnwritableFileError(
      `${requested} has ${info.nlink} hard links; writing it would change every other name of the file too (possibly outside the workspace), so it is refused`,
    );
  }
  return { realPath, exists: true };
}

/**
 * The text of an existing file, for editing.
 * @throws UnwritableFileError when the file is larger than {@link MAX_EDIT_FILE_BYTES} or binary.
 */
export async function readTextForEdit(realPath: string, requested: string): Promise<string> {
  const info = await lstat(realPath);
  if (info.size > MAX_EDIT_FILE_BYTES) {
    throw new UnwritableFileError(`${requested} is ${(info.size / 1024 / 1024).toFixed(1)} MiB; files over ${MAX_EDIT_FILE_BYTES / 1024 / 1024} MiB cannot be edited`);
  }
  const bytes = await readFile(realPath);
  const kind = classifyFile(realPath, bytes.subarray(0, 8192));
  if (kind.kind !== 'text') throw new UnwritableFileError(`${requested} is not a text file; it cannot be edited`);
  return bytes.toString('utf8');
}

/**
 * Write `content` to `target`, creating missing parent directories. The parent is re-checked after
 * it is created and the file is opened with O_NOFOLLOW, so a symlink put in place between the check
 * and the write is not followed.
 */
export async function writeTextNoFollow(ws: Workspace, target: WriteTarget, content: string): Promise<void> {
  const parent = path.dirname(target.realPath);
  await mkdir(parent, { recursive: true });
  if ((await resolveInside(ws, parent)) !== parent) {
    throw new UnwritableFileError(`the directory ${parent} changed while it was being created; refusing to write`);
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  const handle = await open(target.realPath, flags, 0o666);
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
}

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR');
}
