/**
 * Glob: Claude Code's file-pattern finder, on tinyglobby. Newest files first, at most 100.
 *
 * Confinement: the pattern's static prefix (`src/`, `../`, `/etc/`) is resolved like any path and
 * must be inside the workspace; `..` after the first wildcard (including inside braces) is refused;
 * symlinks are not followed during the walk, and every match is realpath-checked again.
 * Hidden files match only when the pattern names the dot (`.github/**`); `.git/` is searched only when
 * it is the pattern's static prefix (`.git/**`), never by a wildcard.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { LocalTool } from '../tool.js';
import { textResult } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';
import { DEFAULT_MAX_OUTPUT_CHARS, truncateOutput } from '../tool-output.js';
import type { Workspace } from './workspace.js';
import { InvalidPathError, PathOutsideWorkspaceError, createWorkspace, isInsideWorkspace, resolveInside } from './workspace.js';

/** Most paths Glob returns. */
export const DEFAULT_GLOB_MAX_RESULTS = 100;

const globInputSchema = z.object({
  pattern: z.string().min(1).max(MAX_PATH_CHARS).describe('The glob pattern to match files against'),
  path: z
    .string()
    .max(MAX_PATH_CHARS)
    .optional()
    .describe(
      'The directory to search in. If not specified, the current working directory will be used. IMPORTANT: Omit this field to use the default directory. DO NOT enter "undefined" or "null".',
    ),
});

/** Input of the Glob tool, after validation. */
export type GlobInput = z.output<typeof globInputSchema>;

/** Options of {@link createGlobTool}. */
export interface GlobToolOptions {
  /** Most paths returned. Default {@link DEFAULT_GLOB_MAX_RESULTS}. */
  maxResults?: number;
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `Fast file pattern matching, confined to the workspace.
- Supports glob patterns like "**/*.js" or "src/**/*.ts".
- Returns matching absolute file paths sorted by modification time, newest first (at most ${DEFAULT_GLOB_MAX_RESULTS}).
- Use it to find files by name; use Grep to search file contents.`;

/** Create the Glob tool. */
export function createGlobTool(options: GlobToolOptions = {}): LocalTool {
  const maxResults = options.maxResults ?? DEFAULT_GLOB_MAX_RESULTS;
  return defineTool({
    name: 'Glob',
    description: DESCRIPTION,
    schema: globInputSchema,
    kind: 'read',
    async execute(input, ctx) {
      const ws = await createWorkspace(ctx.roots, { homeDir: options.homeDir });
      const searchDir = await resolveSearchDir(ws, input.path);
      if (typeof searchDir !== 'string') return searchDir.result;
      const files = await findFiles({ ws, searchDir, pattern: input.pattern, signal: ctx.signal });
      if (files.length === 0) return textResult('No files found');
      const shown = files.slice(0, maxResults);
      const note =
        files.length > maxResults
          ? `\n(Results are truncated: showing ${maxResults} of ${files.length} files. Consider using a more specific path or pattern.)`
          : '';
      return textResult(truncateOutput(shown.join('\n') + note, DEFAULT_MAX_OUTPUT_CHARS));
    },
  });
}

/** The real directory to search: `path` (when given and meaningful) or the working directory. */
async function resolveSearchDir(
  ws: Workspace,
  requested: string | undefined,
): Promise<string | { result: ReturnType<typeof textResult> }> {
  // Models sometimes send the strings "undefined"/"null" for an omitted path.
  if (requested === undefined || requested === '' || requested === 'undefined' || requested === 'null') {
    return ws.roots[0] ?? '/';
  }
  const dir = await resolveInside(ws, requested, { mustExist: true });
  if (!(await stat(dir)).isDirectory()) return { result: textResult(`Glob: path ${requested} is not a directory`, true) };
  return dir;
}

/**
 * Matching files as absolute paths, newest first, all inside the workspace.
 * @throws PathOutsideWorkspaceError when the pattern reaches outside.
 */
async function findFiles(args: { ws: Workspace; searchDir: string; pattern: string; signal: AbortSignal }): Promise<string[]> {
  const { ws, searchDir, pattern } = args;
  // The matcher would skip over a NUL and match as if it were not there; no file name holds one.
  if (pattern.includes('\0')) throw new InvalidPathError(`pattern ${JSON.stringify(pattern)} contains a NUL byte, which no file name may contain`);
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) {
    // A plain path: report it when it is an existing file inside the workspace.
    const real = await resolveInside(ws, joinToSearchDir(searchDir, pattern));
    const info = await stat(real).catch(() => undefined);
    return info?.isFile() === true ? [real] : [];
  }
  if (scan.glob.includes('..')) {
    const shown = `pattern ${pattern} (".." after a wildcard could climb anywhere)`;
    throw new PathOutsideWorkspaceError(pattern, pattern, ws.roots, shown);
  }
  // The static prefix is an ordinary path and is resolved (and confined) like one.
  const root = await resolveInside(ws, joinToSearchDir(searchDir, scan.base)).catch((err: unknown) => {
    if (!(err instanceof PathOutsideWorkspaceError)) throw err;
    const shown = `pattern ${pattern} (its directory part resolves to ${err.resolvedPath})`;
    throw new PathOutsideWorkspaceError(pattern, err.resolvedPath, ws.roots, shown);
  });
  const info = await stat(root).catch(() => undefined);
  if (info?.isDirectory() !== true) return [];
  const matches = await glob(scan.glob, {
    cwd: root,
    absolute: true,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    expandDirectories: false,
    ignore: ['**/.git/**'],
    signal: args.signal,
  });
  const dated = await Promise.all(matches.map((file) => datedInside(ws, file)));
  return dated
    .filter((entry): entry is { file: string; mtimeMs: number } => entry !== undefined)
    .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((entry) => entry.file);
}

/**
 * `relative` against `searchDir` as a raw string join, so `link/..` is left for realpath to follow
 * (as the kernel would); absolute and `~` paths are kept for resolveInside to judge.
 */
function joinToSearchDir(searchDir: string, relative: string): string {
  if (relative === '') return searchDir;
  if (path.isAbsolute(relative) || relative === '~' || relative.startsWith('~/')) return relative;
  return `${searchDir}/${relative}`;
}

/** The file with its mtime, or undefined when it vanished or its real path is outside. */
async function datedInside(ws: Workspace, file: string): Promise<{ file: string; mtimeMs: number } | undefined> {
  try {
    const real = await realpath(file);
    if (!isInsideWorkspace(ws, real)) return undefined;
    return { file: path.normalize(file), mtimeMs: (await stat(real)).mtimeMs };
  } catch {
    return undefined;
  }
}
