/**
 * A tool call in one short line, for progress messages and the terminal: `Read src/index.ts`,
 * `Bash npm test (run the tests)`, `Grep "TODO" in src`. Paths inside the run's workspace are
 * shown relative to it: shorter, and what a person watching wants to read.
 */
import path from 'node:path';

/** Fields holding a path, shown relative to the workspace when inside it. */
const PATH_FIELDS = new Set(['file_path', 'notebook_path', 'path']);

/** The field that says what a call is about, in the order they are worth showing. */
const MAIN_FIELDS = ['command', 'file_path', 'notebook_path', 'pattern', 'path', 'url', 'query', 'subagent_type', 'prompt', 'description'];

/** Longest summary, in characters. */
export const TOOL_SUMMARY_MAX_CHARS = 80;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `abs` relative to `workspace` when inside it (`.` for the workspace itself); otherwise unchanged. */
export function displayPath(abs: string, workspace: string | undefined): string {
  if (workspace === undefined || !path.isAbsolute(abs)) return abs;
  const rel = path.relative(workspace, abs);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function field(record: Record<string, unknown>, key: string, workspace: string | undefined): string | undefined {
  const value = record[key];
  if (typeof value !== 'string' || value === '') return undefined;
  if (key === 'pattern') return JSON.stringify(value);
  return PATH_FIELDS.has(key) ? displayPath(value, workspace) : value;
}

/**
 * `Name detail` for a tool call, never longer than {@link TOOL_SUMMARY_MAX_CHARS}: the main field,
 * then `in <path>` for a search or `(<description>)` when the call says what it is for.
 * `workspace`: the run's working directory; paths inside it are shown relative.
 */
export function summarizeToolCall(name: string, input: unknown, workspace?: string): string {
  if (input === null || typeof input !== 'object') return clip(name, TOOL_SUMMARY_MAX_CHARS);
  const record = input as Record<string, unknown>;
  const mainKey = MAIN_FIELDS.find((key) => field(record, key, workspace) !== undefined);
  if (mainKey === undefined) {
    return clip(Object.keys(record).length > 0 ? `${name} ${JSON.stringify(record)}` : name, TOOL_SUMMARY_MAX_CHARS);
  }
  let detail = field(record, mainKey, workspace)!;
  const where = mainKey === 'pattern' ? field(record, 'path', workspace) : undefined;
  const why = mainKey !== 'description' ? field(record, 'description', workspace) : undefined;
  if (where !== undefined) detail += ` in ${where}`;
  else if (why !== undefined) detail += ` (${clip(why, 40)})`;
  return clip(`${name} ${detail}`, TOOL_SUMMARY_MAX_CHARS);
}
