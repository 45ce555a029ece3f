/**
 * String replacement with Claude Code's Edit rules, as pure functions: `old_string` must occur,
 * exactly once unless `replace_all`; `new_string` must differ. Used by Edit and MultiEdit.
 */

/** One replacement. */
export interface StringEdit {
  old_string: string;
  new_string: string;
  replace_all?: boolean | undefined;
}

/** The new content, or why the edit cannot be made (a message for the model). */
export type EditOutcome = { ok: true; content: string } | { ok: false; message: string };

/** How many times `needle` occurs in `haystack`, without overlaps. */
export function countOccurrences(haystack: string, needle: string): number {
  if (needle === '') return 0;
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

function quoteForMessage(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Apply one edit to `content`. When the file uses CRLF line ends and the strings use LF, the strings
 * are matched and inserted with CRLF (models write `\n`; the file keeps its own line ends).
 */
export function applyEdit(content: string, edit: StringEdit): EditOutcome {
  if (edit.old_string === edit.new_string) {
    return { ok: false, message: 'No changes to make: old_string and new_string are exactly the same.' };
  }
  if (edit.old_string === '') {
    return { ok: false, message: 'old_string is empty; an empty old_string only creates a file that does not exist yet.' };
  }
  let oldString = edit.old_string;
  let newString = edit.new_string;
  let count = countOccurrences(content, oldString);
  if (count === 0 && content.includes('\r\n') && oldString.includes('\n') && !oldString.includes('\r')) {
    oldString = oldString.replace(/\n/g, '\r\n');
    newString = newString.replace(/\r?\n/g, '\r\n');
    count = countOccurrences(content, oldString);
  }
  if (count === 0) return { ok: false, message: `String to replace not found in file.\nString: ${quoteForMessage(edit.old_string)}` };
  if (count > 1 && edit.replace_all !== true) {
    return {
      ok: false,
      message:
        `Found ${count} matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. ` +
        `To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: ${quoteForMessage(edit.old_string)}`,
    };
  }
  // split/join rather than String.replace: `$&` and friends in new_string must stay literal.
  return { ok: true, content: edit.replace_all === true ? content.split(oldString).join(newString) : replaceOnce(content, oldString, newString) };
}

function replaceOnce(content: string, oldString: string, newString: string): string {
  const at = content.indexOf(oldString);
  return content.slice(0, at) + newString + content.slice(at + oldString.length);
}

/**
 * Apply `edits` in order, all or nothing. A failure names the edit (1-based) and changes nothing.
 * When `content` is undefined (the file does not exist), the first edit must have an empty
 * `old_string`: its `new_string` becomes the file.
 */
export function applyEdits(content: string | undefined, edits: readonly StringEdit[]): EditOutcome {
  let current = content;
  for (const [index, edit] of edits.entries()) {
    let outcome: EditOutcome;
    if (current === undefined) {
      outcome =
        edit.old_string === ''
          ? { ok: true, content: edit.new_string }
          : { ok: false, message: 'The file does not exist. To create it, use an empty old_string (or the Write tool).' };
    } else {
      outcome = applyEdit(current, edit);
    }
    if (!outcome.ok) return edits.length === 1 ? outcome : { ok: false, message: `Edit ${index + 1} of ${edits.length}: ${outcome.message} No edits were applied.` };
    current = outcome.content;
  }
  return current === undefined ? { ok: false, message: 'No edits given.' } : { ok: true, content: current };
}

/**
 * A `cat -n` style excerpt around the first line where `before` and `after` differ, for the
 * result the model sees after an edit.
 */
export function snippetAroundChange(before: string, after: string, contextLines = 4): string {
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  let first = 0;
  while (first < oldLines.length && first < newLines.length && oldLines[first] === newLines[first]) first++;
  let oldEnd = oldLines.length - 1;
  let newEnd = newLines.length - 1;
  while (oldEnd > first && newEnd > first && oldLines[oldEnd] === newLines[newEnd]) {
    oldEnd--;
    newEnd--;
  }
  const from = Math.max(0, first - contextLines);
  const to = Math.min(newLines.length - 1, Math.max(newEnd, first) + contextLines, from + 60);
  const lines: string[] = [];
  for (let i = from; i <= to; i++) lines.push(`${String(i + 1).padStart(6)}\t${newLines[i] ?? ''}`);
  return lines.join('\n');
}
