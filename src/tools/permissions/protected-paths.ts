/**
 * Paths whose contents decide what the server itself does: the folders agents are served from,
 * every file it reads as configuration (`--mcp-config` files, the HTTP tokens file), any `.mcp.json`
 * and anything under a `.claude/` folder (agents, settings). Writing one of them is how a model turns
 * an edit into code execution (an agent file with an inline server, a settings file with hooks), so
 * a write there is never approved by a mode or a pre-approval: it is asked about every time, and only
 * `bypassPermissions` writes without asking (as in Claude Code).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

/** What the server protects, as configured. */
export interface ProtectedPathsOptions {
  /** Folders the agents are served from. */
  agentDirs: readonly string[];
  /** Files the server reads as configuration. */
  configFiles: readonly string[];
}

/** The protected-path rules of one server. */
export interface ProtectedPaths {
  /** Why `realPath` (absolute, real) is protected, or undefined when it is not. */
  reasonFor(realPath: string): string | undefined;
  /**
   * Why a shell command's words may touch a protected path, or undefined. Each word is resolved
   * against `cwd` (symlinks followed as far as the path exists); a glob counts when it could match.
   */
  reasonForWords(words: readonly string[], cwd: string): string | undefined;
}

const GLOB_CHARS = /[*?[]/;

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realpathNearest(p: string): string {
  const tail: string[] = [];
  let current = path.resolve(p);
  for (;;) {
    try {
      return path.join(realpathSync(current), ...tail);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...tail);
      tail.unshift(path.basename(current));
      current = parent;
    }
  }
}

function isUnder(child: string, dir: string): boolean {
  return child === dir || child.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** Build the rules; paths are resolved now (and again, literally, so a folder made later still counts). */
export function createProtectedPaths(options: ProtectedPathsOptions): ProtectedPaths {
  const dirs = [...new Set(options.agentDirs.flatMap((d) => [path.resolve(d), realpathNearest(d)]))];
  const files = [...new Set(options.configFiles.flatMap((f) => [path.resolve(f), realpathNearest(f)]))];

  function reasonFor(realPath: string): string | undefined {
    // The loader reads every .md file under an agent folder, at any depth.
    const dir = dirs.find((d) => isUnder(realPath, d));
    if (dir !== undefined && (realPath === dir || realPath.endsWith('.md'))) return `it is an agent file of ${dir}, a folder agents-mcp serves agents from`;
    if (files.includes(realPath)) return `agents-mcp reads ${realPath} as configuration`;
    const segments = realPath.split(path.sep);
    if (segments.includes('.claude')) return 'it is inside a .claude folder (agent definitions and settings)';
    if (segments.at(-1) === '.mcp.json') return '.mcp.json configures MCP servers';
    return undefined;
  }

  /** As {@link reasonFor}, plus a name without an extension under an agent folder: a command may make it a folder of agent files. */
  function reasonForWordPath(realPath: string): string | undefined {
    const own = reasonFor(realPath);
    if (own !== undefined) return own;
    const dir = dirs.find((d) => isUnder(realPath, d));
    return dir !== undefined && !path.basename(realPath).includes('.') ? `it may become a folder of agent files inside ${dir}` : undefined;
  }

  function reasonForGlob(word: string, cwd: string): string | undefined {
    // Bash globs match a leading dot only when the pattern has one there.
    if (word.split('/').some((segment) => segment.startsWith('.') && GLOB_CHARS.test(segment))) {
      return `the pattern ${word} could match a .claude folder or .mcp.json`;
    }
    const slash = word.slice(0, word.search(GLOB_CHARS)).lastIndexOf('/');
    const base = realpathNearest(path.resolve(cwd, word.slice(0, slash + 1) || '.'));
    const patternSegments = word.slice(slash + 1).split('/').filter((s) => s !== '');
    const reachable = [...dirs, ...files].find((p) => {
      if (!isUnder(p, base) || p === base) return false;
      const segments = path.relative(base, p).split(path.sep);
      // The glob could name `p`, something inside it, or a folder on the way to it.
      return patternSegments.slice(0, segments.length).every((pattern, i) => picomatch.isMatch(segments[i]!, pattern, { dot: false }));
    });
    return reachable === undefined ? undefined : `the pattern ${word} could match ${reachable}`;
  }

  return {
    reasonFor,
    reasonForWords(words, cwd) {
      for (const word of words) {
        // Plain arguments (`hi`, `-la`) are not paths a command could write; anything with a slash,
        // a leading dot or a file extension may be.
        if (!/[/.]/.test(word)) continue;
        const reason = GLOB_CHARS.test(word) ? reasonForGlob(word, cwd) : reasonForWordPath(realpathNearest(path.resolve(cwd, word)));
        if (reason !== undefined) return `${word}: ${reason}`;
      }
      return undefined;
    },
  };
}
