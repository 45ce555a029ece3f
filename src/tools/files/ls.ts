/**
 * LS: Claude Code's (since removed) directory lister. Lists a directory recursively as an indented
 * tree, breadth-first so the upper levels survive the cap.
 *
 * Choices (Claude Code's LS listed everything but hidden files and capped at 1000 entries):
 * - Hidden entries (names starting with `.`, so `.git`) and `__pycache__` are skipped, as Claude Code did.
 * - `node_modules/` is shown but not descended into: it would fill the whole cap with vendored files.
 * - Symlinks are listed by name and never followed (no loops, no walking out of the workspace).
 * - Unreadable subdirectories are listed but their contents are silently missing.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { LocalTool } from '../tool.js';
import { textResult } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';
import { DEFAULT_MAX_OUTPUT_CHARS, throwIfAborted, truncateOutput } from '../tool-output.js';
import { createWorkspace, resolveInside } from './workspace.js';

/** Most entries LS lists. */
export const DEFAULT_LS_MAX_ENTRIES = 1000;

/** Directories shown but not descended into. */
const NOT_DESCENDED = new Set(['node_modules']);
/** Entries not shown at all (besides hidden ones). */
const SKIPPED_NAMES = new Set(['__pycache__']);

const lsInputSchema = z.object({
  path: z
    .string()
    .max(MAX_PATH_CHARS)
    .describe('The absolute path to the directory to list (a relative path is resolved against the working directory)'),
  ignore: z.array(z.string().max(1000)).max(100).optional().describe('List of glob patterns to ignore'),
});

/** Input of the LS tool, after validation. */
export type LsInput = z.output<typeof lsInputSchema>;

/** Options of {@link createLsTool}. */
export interface LsToolOptions {
  /** Most entries listed. Default {@link DEFAULT_LS_MAX_ENTRIES}. */
  maxEntries?: number;
  /** Cap on the output in characters. Default {@link DEFAULT_MAX_OUTPUT_CHARS}. */
  maxOutputChars?: number;
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `Lists files and directories under a path, recursively, as a tree. The path should be absolute. \
Hidden entries (.git, .env, …) and __pycache__ are skipped; node_modules is shown but not expanded; \
symlinks are not followed. You can pass an array of glob patterns to ignore. \
Prefer Glob and Grep when you know what you are looking for.`;

interface Entry {
  /** Path relative to the listed directory, `/`-separated. */
  rel: string;
  isDir: boolean;
}

/** Create the LS tool. */
export function createLsTool(options: LsToolOptions = {}): LocalTool {
  const maxEntries = options.maxEntries ?? DEFAULT_LS_MAX_ENTRIES;
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  return defineTool({
    name: 'LS',
    description: DESCRIPTION,
    schema: lsInputSchema,
    kind: 'read',
    async execute(input, ctx) {
      const ws = await createWorkspace(ctx.roots, { homeDir: options.homeDir });
      const dir = await resolveInside(ws, input.path, { mustExist: true });
      if (!(await stat(dir)).isDirectory()) return textResult(`LS: ${input.path} is not a directory (use Read for files)`, true);
      const isIgnored = createIgnoreMatcher(input.ignore ?? []);
      const { entries, truncated } = await walk({ dir, maxEntries, isIgnored, signal: ctx.signal });
      const header = truncated
        ? `There are more than ${maxEntries} entries under ${dir}; the first ${maxEntries} are listed below. Use LS on a subdirectory, or Glob/Grep, to see more.\n\n`
        : '';
      return textResult(truncateOutput(header + renderTree(dir, entries), maxOutputChars));
    },
  });
}

function createIgnoreMatcher(globs: string[]): (rel: string) => boolean {
  if (globs.length === 0) return () => false;
  // basename: a pattern without a slash also matches an entry's name at any depth (`*.log`).
  const matcher = picomatch(globs, { dot: true, basename: true });
  return (rel) => matcher(rel);
}

async function walk(args: {
  dir: string;
  maxEntries: number;
  isIgnored: (rel: string) => boolean;
  signal: AbortSignal;
}): Promise<{ entries: Entry[]; truncated: boolean }> {
  const entries: Entry[] = [];
  const queue: string[] = [''];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    throwIfAborted(args.signal);
    const children = await readdirSorted(next === '' ? args.dir : path.join(args.dir, next));
    for (const child of children) {
      if (child.name.startsWith('.') || SKIPPED_NAMES.has(child.name)) continue;
      const rel = next === '' ? child.name : `${next}/${child.name}`;
      const isDir = child.isDirectory(); // false for symlinks: they are never followed
      if (args.isIgnored(rel) || (isDir && args.isIgnored(`${rel}/`))) continue;
      if (entries.length >= args.maxEntries) return { entries, truncated: true };
      entries.push({ rel, isDir });
      if (isDir && !NOT_DESCENDED.has(child.name)) queue.push(rel);
    }
  }
  return { entries, truncated: false };
}

async function readdirSorted(dir: string): Promise<Dirent[]> {
  try {
    const children = await readdir(dir, { withFileTypes: true });
    return children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return []; // unreadable subdirectory: listed, contents unknown
  }
}

/** Render entries as Claude Code's LS tree: `- /root/` then `  - child` lines, two spaces per level. */
export function renderTree(root: string, entries: readonly { rel: string; isDir: boolean }[]): string {
  const sorted = [...entries].sort((a, b) => comparePaths(a.rel, b.rel));
  const lines = [`- ${root.endsWith('/') ? root : `${root}/`}`];
  for (const entry of sorted) {
    const parts = entry.rel.split('/');
    const name = parts.at(-1) ?? entry.rel;
    lines.push(`${'  '.repeat(parts.length)}- ${name}${entry.isDir ? '/' : ''}`);
  }
  return lines.join('\n');
}

/** Order paths segment by segment so a directory's children follow it directly. */
function comparePaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] ?? '';
    const y = bs[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}
