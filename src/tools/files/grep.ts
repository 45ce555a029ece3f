/**
 * Grep: Claude Code's content search, run by the real ripgrep.
 *
 * Why ripgrep and where it comes from: the model is trained on rg's semantics (Rust regex syntax,
 * `--type` names, .gitignore handling), so a JS imitation would drift. `@vscode/ripgrep` ≥ 1.17 ships
 * the binary inside per-platform packages (`@vscode/ripgrep-linux-x64` holds `bin/rg`, ripgrep 15,
 * static-pie) pulled in as optionalDependencies, with no postinstall download, so a fresh
 * `npm install` on a machine that can only reach the npm registry gets a working rg. Older releases
 * (1.15.x) downloaded from GitHub in postinstall and arrive without `bin/` here. Fallback: `rg` on
 * PATH; with neither, Grep returns an error saying so (there is no JS re-implementation).
 *
 * Flags as Claude Code runs rg: hidden files are searched but VCS directories are not, .gitignore is
 * honoured, symlinks are not followed, lines are capped at 500 columns (with a preview). Content and
 * count output are sorted by path (deterministic); files_with_matches is sorted newest first.
 */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { locateRipgrep, runRipgrep } from './ripgrep.js';
import type { RipgrepOutcome } from './ripgrep.js';
import type { LocalTool, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';
import { DEFAULT_MAX_OUTPUT_CHARS, truncateOutput } from '../tool-output.js';
import { createWorkspace, resolveInside } from './workspace.js';

/** Results (lines, files or counts) returned when `head_limit` is not given. */
export const DEFAULT_GREP_HEAD_LIMIT = 250;
/** Most files collected from rg in files_with_matches/count mode before it is stopped. */
export const MAX_GREP_FILES_COLLECTED = 50_000;

const VCS_DIRECTORIES = ['.git', '.svn', '.hg', '.bzr', '.jj', '.sl'];

const count = () => z.number().int().min(0);

const grepInputSchema = z.object({
  pattern: z.string().min(1).max(10_000).describe('The regular expression pattern to search for in file contents'),
  path: z
    .string()
    .max(MAX_PATH_CHARS)
    .optional()
    .describe('File or directory to search in (rg PATH). Defaults to the current working directory.'),
  glob: z
    .string()
    .max(1000)
    .optional()
    .describe('Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}") - maps to rg --glob'),
  output_mode: z
    .enum(['content', 'files_with_matches', 'count'])
    .optional()
    .describe(
      'Output mode: "content" shows matching lines (supports -A/-B/-C context, -n line numbers, head_limit), "files_with_matches" shows file paths (supports head_limit), "count" shows match counts (supports head_limit). Defaults to "files_with_matches".',
    ),
  '-B': count().optional().describe('Number of lines to show before each match (rg -B). Requires output_mode: "content".'),
  '-A': count().optional().describe('Number of lines to show after each match (rg -A). Requires output_mode: "content".'),
  '-C': count().optional().describe('Alias for context.'),
  context: count()
    .optional()
    .describe('Number of lines to show before and after each match (rg -C). Requires output_mode: "content".'),
  '-n': z.boolean().optional().describe('Show line numbers in output (rg -n). Requires output_mode: "content". Defaults to true.'),
  '-i': z.boolean().optional().describe('Case insensitive search (rg -i)'),
  '-o': z.boolean().optional().describe('Print only the matched parts of lines (rg -o). Requires output_mode: "content".'),
  type: z
    .string()
    .regex(/^[A-Za-z0-9_+-]{1,64}$/, 'expected an rg file type name such as js, py, rust')
    .optional()
    .describe('File type to search (rg --type). Common types: js, py, rust, go, java, etc.'),
  head_limit: count()
    .optional()
    .describe(
      `Limit output to first N lines/entries, equivalent to "| head -N". Defaults to ${DEFAULT_GREP_HEAD_LIMIT}; 0 means unlimited.`,
    ),
  offset: count().optional().describe('Skip first N lines/entries before applying head_limit, equivalent to "| tail -n +N | head -N".'),
  multiline: z
    .boolean()
    .optional()
    .describe('Enable multiline mode where . matches newlines and patterns can span lines (rg -U --multiline-dotall). Default: false.'),
});

/** Input of the Grep tool, after validation. */
export type GrepInput = z.output<typeof grepInputSchema>;

/** Options of {@link createGrepTool}. */
export interface GrepToolOptions {
  /**
   * Where rg is. Default: {@link locateRipgrep} (`@vscode/ripgrep`'s binary, else `rg` on PATH).
   * Inject to test the "no ripgrep" path or to pin a binary.
   */
  locateRipgrep?: () => Promise<string | undefined>;
  /** Cap on the output in characters. Default {@link DEFAULT_MAX_OUTPUT_CHARS}. */
  maxOutputChars?: number;
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `A powerful search tool built on ripgrep, confined to the workspace.
- Supports full regex syntax (e.g. "log.*Error", "function\\s+\\w+"); literal braces need escaping (interface\\{\\}).
- Filter files with glob (e.g. "*.js", "**/*.tsx") or type (e.g. "js", "py", "rust").
- Output modes: "content" shows matching lines, "files_with_matches" shows only file paths (default, newest first), "count" shows match counts.
- Patterns match within single lines by default; use multiline: true for patterns that span lines.
- head_limit (default ${DEFAULT_GREP_HEAD_LIMIT}, 0 = unlimited) and offset page through results.`;

/** Create the Grep tool. */
export function createGrepTool(options: GrepToolOptions = {}): LocalTool {
  const findRg = options.locateRipgrep ?? locateRipgrep;
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  return defineTool({
    name: 'Grep',
    description: DESCRIPTION,
    schema: grepInputSchema,
    kind: 'read',
    async execute(input, ctx) {
      const ws = await createWorkspace(ctx.roots, { homeDir: options.homeDir });
      const target = isOmitted(input.path) ? (ws.roots[0] ?? '/') : await resolveInside(ws, input.path, { mustExist: true });
      const rgPath = await findRg();
      if (rgPath === undefined) {
        return textResult(
          'Grep: ripgrep is not available (the @vscode/ripgrep platform package is missing and there is no rg on PATH); use Glob and Read instead',
          true,
        );
      }
      const mode = input.output_mode ?? 'files_with_matches';
      const page = { offset: input.offset ?? 0, limit: input.head_limit ?? DEFAULT_GREP_HEAD_LIMIT };
      const args = buildRipgrepArgs(input, target);
      const run = { rgPath, args, signal: ctx.signal, maxOutputChars };
      switch (mode) {
        case 'content':
          return searchContent(run, page);
        case 'count':
          return searchCounts(run, page);
        case 'files_with_matches':
          return searchFiles(run, page);
      }
    },
  });
}

/** Models sometimes send the strings "undefined"/"null" for an omitted path. */
function isOmitted(p: string | undefined): p is undefined {
  return p === undefined || p === '' || p === 'undefined' || p === 'null';
}

/** rg's argument list for `input`, searching `target` (a real path inside the workspace). */
export function buildRipgrepArgs(input: GrepInput, target: string): string[] {
  const mode = input.output_mode ?? 'files_with_matches';
  const args = ['--no-config', '--color=never', '--hidden', '--max-columns=500', '--max-columns-preview'];
  for (const dir of VCS_DIRECTORIES) args.push(`--glob=!${dir}`);
  if (input['-i'] === true) args.push('--ignore-case');
  if (input.multiline === true) args.push('--multiline', '--multiline-dotall');
  if (input.type !== undefined) args.push(`--type=${input.type}`);
  for (const glob of splitGlobs(input.glob)) args.push(`--glob=${glob}`);
  if (mode === 'files_with_matches') {
    args.push('--files-with-matches');
  } else if (mode === 'count') {
    args.push('--count', '--with-filename', '--sort=path');
  } else {
    args.push('--with-filename', '--no-heading', '--sort=path');
    args.push(input['-n'] === false ? '--no-line-number' : '--line-number');
    if (input['-o'] === true) args.push('--only-matching');
    const context = input.context ?? input['-C'];
    if (context !== undefined) args.push(`--context=${context}`);
    if (input['-A'] !== undefined) args.push(`--after-context=${input['-A']}`);
    if (input['-B'] !== undefined) args.push(`--before-context=${input['-B']}`);
  }
  // --regexp= keeps a pattern that starts with "-" from being read as a flag; "--" ends the flags.
  args.push(`--regexp=${input.pattern}`, '--', target);
  return args;
}

/** Split Claude Code style: on whitespace, and on commas outside brace groups. */
export function splitGlobs(glob: string | undefined): string[] {
  if (glob === undefined) return [];
  const parts: string[] = [];
  for (const word of glob.split(/\s+/)) {
    if (word === '') continue;
    if (word.includes('{') && word.includes('}')) parts.push(word);
    else parts.push(...word.split(',').filter((p) => p !== ''));
  }
  return parts;
}

interface RgRun {
  rgPath: string;
  args: string[];
  signal: AbortSignal;
  maxOutputChars: number;
}

interface Page {
  offset: number;
  /** 0 = unlimited. */
  limit: number;
}

async function searchContent(run: RgRun, page: Page): Promise<ToolResult> {
  const lines: string[] = [];
  let seen = 0;
  let chars = 0;
  let more = false;
  const outcome = await runRipgrep({
    ...run,
    onLine(line) {
      seen += 1;
      if (seen <= page.offset) return true;
      if ((page.limit > 0 && lines.length >= page.limit) || chars > run.maxOutputChars) {
        more = true;
        return false;
      }
      lines.push(line);
      chars += line.length + 1;
      return true;
    },
  });
  const failure = failureOf(outcome, lines.length);
  if (failure !== undefined) return failure;
  if (lines.length === 0) return textResult(seen > 0 ? `No matches at offset ${page.offset} (${seen} lines in all)` : 'No matches found');
  const note = more ? `\n\n(Showing results ${page.offset + 1}-${page.offset + lines.length}; more exist: use offset=${page.offset + lines.length} to see them.)` : '';
  return textResult(truncateOutput(lines.join('\n'), run.maxOutputChars) + note + warningOf(outcome));
}

async function searchCounts(run: RgRun, page: Page): Promise<ToolResult> {
  const entries = await collectLines(run);
  const failure = failureOf(entries.outcome, entries.lines.length);
  if (failure !== undefined) return failure;
  if (entries.lines.length === 0) return textResult('No matches found');
  let total = 0;
  for (const line of entries.lines) total += Number(line.slice(line.lastIndexOf(':') + 1)) || 0;
  const shown = paginate(entries.lines, page);
  const summary = `\n\nFound ${total} total ${total === 1 ? 'occurrence' : 'occurrences'} across ${entries.lines.length} ${entries.lines.length === 1 ? 'file' : 'files'}.`;
  return textResult(truncateOutput(shown.text, run.maxOutputChars) + summary + shown.note + warningOf(entries.outcome));
}

async function searchFiles(run: RgRun, page: Page): Promise<ToolResult> {
  const entries = await collectLines(run);
  const failure = failureOf(entries.outcome, entries.lines.length);
  if (failure !== undefined) return failure;
  if (entries.lines.length === 0) return textResult('No files found');
  const files = await sortByMtimeNewestFirst(entries.lines);
  const shown = paginate(files, page);
  const header = `Found ${files.length} ${files.length === 1 ? 'file' : 'files'}${entries.outcome.stoppedEarly ? ' (stopped collecting there)' : ''}\n`;
  return textResult(truncateOutput(header + shown.text, run.maxOutputChars) + shown.note + warningOf(entries.outcome));
}

async function collectLines(run: RgRun): Promise<{ lines: string[]; outcome: RipgrepOutcome }> {
  const lines: string[] = [];
  const outcome = await runRipgrep({
    ...run,
    onLine(line) {
      if (line !== '') lines.push(line);
      return lines.length < MAX_GREP_FILES_COLLECTED;
    },
  });
  return { lines, outcome };
}

function paginate(items: readonly string[], page: Page): { text: string; note: string } {
  const end = page.limit > 0 ? page.offset + page.limit : items.length;
  const shown = items.slice(page.offset, end);
  if (shown.length === 0) return { text: `(nothing at offset ${page.offset})`, note: '' };
  const note =
    end < items.length
      ? `\n(Showing ${page.offset + 1}-${page.offset + shown.length} of ${items.length}; use offset=${end} to see more.)`
      : '';
  return { text: shown.join('\n'), note };
}

async function sortByMtimeNewestFirst(files: readonly string[]): Promise<string[]> {
  const dated = await Promise.all(
    files.map(async (file) => ({ file, mtimeMs: (await stat(file).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  dated.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return dated.map((entry) => entry.file);
}

/** An error result when rg failed without producing anything. */
function failureOf(outcome: RipgrepOutcome, produced: number): ToolResult | undefined {
  if (outcome.exitCode !== 2 || produced > 0) return undefined;
  return textResult(`Grep: ${outcome.stderr.replace(/^rg: /, '') || 'ripgrep failed'}`, true);
}

/** A note about rg errors that came alongside results (unreadable files, …). */
function warningOf(outcome: RipgrepOutcome): string {
  if (outcome.exitCode !== 2 || outcome.stderr === '') return '';
  const first = outcome.stderr.split('\n')[0] ?? '';
  return `\n(ripgrep also reported: ${first.replace(/^rg: /, '')})`;
}
