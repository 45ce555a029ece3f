/**
 * What a file edit changes, as a unified diff for the approval question: the person sees the
 * lines that go and the lines that come, not the whole resulting file. Capped, because a question
 * is read, not scrolled.
 */
import { structuredPatch } from 'diff';

/** Most diff lines shown; the rest are counted in a last `… N more lines`. */
export const MAX_DIFF_LINES = 60;
/** Longest line shown; longer ones end in `…` (minified files would fill the screen). */
const MAX_DIFF_LINE_CHARS = 400;

/** Options of {@link formatChangeDiff}. */
export interface ChangeDiffOptions {
  /** The file's text now; undefined for a file about to be created (every line is `+`). */
  before: string | undefined;
  after: string;
  /** Default {@link MAX_DIFF_LINES}. */
  maxLines?: number;
  /** Lines of context around each change. Default 3, as `diff -u`. */
  context?: number;
}

function clipLine(line: string): string {
  return line.length > MAX_DIFF_LINE_CHARS ? `${line.slice(0, MAX_DIFF_LINE_CHARS - 1)}…` : line;
}

/**
 * The change as unified-diff hunks (`@@ -1,3 +1,4 @@`, then ` `, `-`, `+` lines), without file
 * headers (the question names the file), cut after `maxLines` lines with `… N more lines`.
 * An unchanged text gives `(no changes)`.
 */
export function formatChangeDiff(options: ChangeDiffOptions): string {
  const maxLines = options.maxLines ?? MAX_DIFF_LINES;
  const patch = structuredPatch('before', 'after', options.before ?? '', options.after, undefined, undefined, { context: options.context ?? 3 });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    // As `diff -u`: an empty side starts at the line before (0 for a new file).
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`);
    // The library marks a missing final newline with a `\` line; the question need not say so.
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(clipLine(line));
  }
  if (lines.length === 0) return '(no changes)';
  if (lines.length <= maxLines) return lines.join('\n');
  const more = lines.length - maxLines;
  return [...lines.slice(0, maxLines), `… ${more} more line${more === 1 ? '' : 's'}`].join('\n');
}
