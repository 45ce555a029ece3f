/** Where agents live when no folder is given: the places Claude Code itself looks. */

import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where to look from. Passed in (not read from `process`) so tests can point anywhere. */
export interface AgentDirContext {
  /** The working directory to search up from. */
  cwd: string;
  /** The user's home directory (for `~/.claude/agents/`). */
  home: string;
  /** The agents shipped with this package, used when the user has none. */
  bundledDir: string;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Compare folders by where they really are, so `~` reached through a symlink is still `~`. */
function isSameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest `.claude/agents/` from `cwd` upward, stopping at the repository root (the first
 * ancestor holding `.git`, a folder or, in worktrees, a file) or the filesystem root.
 */
export function findProjectAgentDir(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, '.claude', 'agents');
    if (isDirectory(candidate)) return candidate;
    if (exists(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The default agent folders, highest precedence first, as Claude Code orders them: the
 * project's `.claude/agents/` (see {@link findProjectAgentDir}), then `~/.claude/agents/`;
 * when neither exists, `[bundledDir]`. The same folder reached both ways is listed once.
 * Synchronous: it runs once at startup, while flags are turned into config.
 */
export function resolveAgentDirs({ cwd, home, bundledDir }: AgentDirContext): string[] {
  const dirs: string[] = [];
  const project = findProjectAgentDir(cwd);
  if (project !== undefined) dirs.push(project);
  const user = path.join(path.resolve(home), '.claude', 'agents');
  if (isDirectory(user) && (project === undefined || !isSameDir(user, project))) dirs.push(user);
  return dirs.length > 0 ? dirs : [path.resolve(bundledDir)];
}
