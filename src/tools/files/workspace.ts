/**
 * Workspace confinement: every path a file tool touches goes through {@link resolveInside}.
 *
 * How a requested path is judged:
 * - It is taken literally: no percent-decoding, and a backslash is an ordinary file-name
 *   character on POSIX (so `..\..\etc` is one odd name inside the workspace, not a climb).
 * - `~` and `~/…` expand to the home directory (the model means "home" by them); `~user` does not.
 * - A relative path is joined (as a string, without lexical `..` folding) to the first root, then the
 *   whole thing goes through the kernel's realpath(3). So `link/..` follows `link` first, exactly
 *   as open(2) would, and `/proc/self/root/…` or `/proc/self/cwd/…` collapse to what they point at.
 * - A path that does not exist yet (a file a Write will create) is judged by its nearest existing
 *   ancestor's real path, with the missing tail appended. Dangling symlinks on the way are followed
 *   through their targets, so a dangling link to `/etc/new` is refused rather than written through.
 * - The resulting real path must equal a root or lie under one. Tools then use that real path, never
 *   the requested one, so what was checked is what gets opened.
 *
 * Known limits (documented, not solved):
 * - Hard links cannot be told apart by path: a hard link placed inside the workspace that shares its
 *   inode with an outside file is readable. We do not refuse `nlink > 1`, because package managers
 *   (pnpm's store, for one) hard-link ordinary files into projects. Read refuses files that are not
 *   regular files (devices, FIFOs, sockets), which closes the worst of that class (`/dev/zero`-like
 *   endless reads, blocking FIFOs).
 * - Time of check vs time of use: a process that swaps a directory for a symlink between our check
 *   and the tool's open() could redirect it. The workspace is assumed not to be raced by a hostile
 *   local process; the model itself cannot race us (its tool calls are sequential per call).
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Realpath'd roots a run may touch. The first root is the working directory. */
export interface Workspace {
  /** Real, absolute root directories; `roots[0]` is the working directory. */
  readonly roots: readonly string[];
  /** What `~` expands to. */
  readonly homeDir: string;
}

/** Options of {@link createWorkspace}. */
export interface CreateWorkspaceOptions {
  /** What `~` expands to. Default: `os.homedir()`. */
  homeDir?: string;
}

/** Options of {@link resolveInside}. */
export interface ResolveInsideOptions {
  /** Throw {@link PathNotFoundError} when the path does not exist. Default: false. */
  mustExist?: boolean;
}

/** Base of the errors {@link resolveInside} throws; its message is meant for the model. */
export class WorkspacePathError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The path resolves outside every workspace root. */
export class PathOutsideWorkspaceError extends WorkspacePathError {
  /**
   * @param shownAs what the message calls the path, when not `requestedPath (resolves to resolvedPath)`
   *   (a Glob pattern, say).
   */
  constructor(
    readonly requestedPath: string,
    readonly resolvedPath: string,
    readonly roots: readonly string[],
    shownAs?: string,
  ) {
    const shown =
      shownAs ?? (requestedPath === resolvedPath ? requestedPath : `${requestedPath} (resolves to ${resolvedPath})`);
    super(
      `${shown} is outside the workspace (${roots[0] ?? ''}); the agent may only touch files under: ${roots.join(', ')}`,
    );
  }
}

/** The path is malformed (NUL byte, empty, symlink loop). */
export class InvalidPathError extends WorkspacePathError {}

/** The path is inside the workspace but does not exist (only with `mustExist`). */
export class PathNotFoundError extends WorkspacePathError {
  constructor(readonly requestedPath: string) {
    super(`${requestedPath} does not exist`);
  }
}

/** How many symlinks one resolution may pass through, like Linux's MAXSYMLINKS. */
const MAX_SYMLINK_HOPS = 40;

/**
 * Build a workspace from root directories, resolving each with realpath.
 * @throws Error when `roots` is empty or a root cannot be resolved (missing, unreadable).
 */
export async function createWorkspace(roots: readonly string[], options: CreateWorkspaceOptions = {}): Promise<Workspace> {
  if (roots.length === 0) throw new Error('no workspace roots configured; the run has no directory it may touch');
  const realRoots = await Promise.all(
    roots.map(async (root) => {
      try {
        return await realpath(path.resolve(root));
      } catch (err) {
        throw new Error(`workspace root ${root} cannot be resolved: ${errorMessage(err)}`, { cause: err });
      }
    }),
  );
  return { roots: realRoots, homeDir: options.homeDir ?? homedir() };
}

/** True when `realPath` (already real and absolute) is a root or lies under one. */
export function isInsideWorkspace(ws: Workspace, realPath: string): boolean {
  return ws.roots.some((root) => {
    if (realPath === root) return true;
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    return realPath.startsWith(prefix);
  });
}

/**
 * Resolve `requestedPath` to an absolute real path inside the workspace.
 * Relative paths resolve against the first root.
 * @throws InvalidPathError for an empty path, a NUL byte or a symlink loop.
 * @throws PathOutsideWorkspaceError when the real path is outside every root (checked before existence,
 *   so the error never reveals whether an outside file exists).
 * @throws PathNotFoundError when `mustExist` is set and the path does not exist.
 */
export async function resolveInside(
  ws: Workspace,
  requestedPath: string,
  options: ResolveInsideOptions = {},
): Promise<string> {
  if (requestedPath.includes('\0')) {
    throw new InvalidPathError(
      `${JSON.stringify(requestedPath)} contains a NUL byte, which no file name may contain; refusing the path`,
    );
  }
  if (requestedPath.length === 0) throw new InvalidPathError('the path is empty');
  const candidate = toAbsolute(ws, requestedPath);
  const { realPath, exists } = await realpathNearest(candidate, requestedPath);
  if (!isInsideWorkspace(ws, realPath)) throw new PathOutsideWorkspaceError(requestedPath, realPath, ws.roots);
  if (options.mustExist === true && !exists) throw new PathNotFoundError(requestedPath);
  return realPath;
}

/** Expand `~` and make the path absolute against the first root, without folding `..` lexically. */
function toAbsolute(ws: Workspace, requested: string): string {
  let p = requested;
  if (p === '~') p = ws.homeDir;
  else if (p.startsWith('~/')) p = ws.homeDir + p.slice(1);
  if (path.isAbsolute(p)) return p;
  const first = ws.roots[0] ?? '/';
  return first.endsWith(path.sep) ? first + p : first + path.sep + p;
}

/**
 * realpath(3) of `p`; for a missing path, the real path of the nearest existing ancestor with the
 * missing tail appended. Dangling symlinks are followed through their targets.
 */
async function realpathNearest(p: string, requested: string): Promise<{ realPath: string; exists: boolean }> {
  let current = p;
  const tail: string[] = [];
  let hops = 0;
  for (;;) {
    try {
      const real = await realpath(current);
      return tail.length === 0 ? { realPath: real, exists: true } : { realPath: path.resolve(real, ...tail), exists: false };
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ELOOP') throw new InvalidPathError(`${requested}: too many levels of symbolic links`, { cause: err });
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    }
    const link = await readDanglingLink(current);
    if (link !== undefined) {
      if (++hops > MAX_SYMLINK_HOPS) throw new InvalidPathError(`${requested}: too many levels of symbolic links`);
      current = path.isAbsolute(link) ? link : path.dirname(current) + path.sep + link;
      continue;
    }
    const parent = path.dirname(current);
    if (parent === current) return { realPath: path.resolve(current, ...tail), exists: false };
    tail.unshift(path.basename(current));
    current = parent;
  }
}

/** The target of `p` when `p` itself is a symlink (whose target is missing), else undefined. */
async function readDanglingLink(p: string): Promise<string | undefined> {
  try {
    const st = await lstat(p);
    return st.isSymbolicLink() ? await readlink(p) : undefined;
  } catch {
    return undefined;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
