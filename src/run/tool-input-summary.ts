/**
 * A tool call in one short line, for progress messages, the terminal and transcripts:
 * `Read notes.txt`, `Bash npm test`, `Grep "TODO" in src`.
 */

/** The fields that say what a call is about, in the order they are worth showing. */
const KEY_FIELDS = ['command', 'file_path', 'notebook_path', 'pattern', 'path', 'url', 'query', 'prompt', 'description', 'subagent_type'];

/** Longest summary, in characters. */
export const TOOL_SUMMARY_MAX_CHARS = 80;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `Name key-value` for a tool call, never longer than {@link TOOL_SUMMARY_MAX_CHARS}. */
export function summarizeToolCall(name: string, input: unknown): string {
  if (input === null || typeof input !== 'object') return clip(name, TOOL_SUMMARY_MAX_CHARS);
  const record = input as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of KEY_FIELDS) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') parts.push(key === 'pattern' ? JSON.stringify(value) : value);
    if (parts.length === 2) break;
  }
  const detail = parts.length > 0 ? parts.join(' in ') : Object.keys(record).length > 0 ? JSON.stringify(record) : '';
  return clip(detail ? `${name} ${detail}` : name, TOOL_SUMMARY_MAX_CHARS);
}
